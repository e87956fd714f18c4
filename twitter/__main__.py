from twitter.cli import main

raise SystemExit(main())
