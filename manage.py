#!/usr/bin/env python
"""Django's command-line utility for LawQA."""

from lawqa.__main__ import main

if __name__ == "__main__":
    main()
