"""Access: accounts, sign-in and the one permission table that pages and the store both ask."""
