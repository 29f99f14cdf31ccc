import sys

from metalloop.reference.materials import main

sys.exit(main())
