"""Services the pages and the command line share: moving data in and out, who acts."""
