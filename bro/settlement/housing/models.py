"""Housing and agreed self-settlement: data and the invariants the database can enforce."""
