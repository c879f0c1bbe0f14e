from gilde.cli import main

raise SystemExit(main())
