"""Settlement: data and the invariants the database can enforce."""
