"""Entry point for ``python -m servgap``."""

from servgap.cli.app import main

if __name__ == "__main__":
    main()
