"""Reception and host municipalities: data and the invariants the database can enforce."""
