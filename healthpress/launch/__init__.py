"""Launchers run with `python -m`: the production server and its task worker (`serve`, behind
`make serve`), the development server and its worker (`devserver`, `make run`), and the check
that a PostgreSQL or Redis server answers (`dbcheck`, `make test-postgres`). Not a Django app and
no part of a request: they start processes, so they live outside the app layers."""
