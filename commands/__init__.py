"""Commands of the command line (`cli.py`): each module adds its subcommands with `register`."""
