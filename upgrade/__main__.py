import sys

from upgrade.cli import main

sys.exit(main())
