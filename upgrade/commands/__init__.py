"""The check / fix / rules subcommands (the others live with their feature packages)."""
