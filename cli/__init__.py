"""The `chaisevide` command: terminal consultation, one-shot answers, checks, bot launcher."""
