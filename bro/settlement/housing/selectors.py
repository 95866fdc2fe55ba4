"""Reads of housing and self-settlement data, scoped by the access policy."""


def housed_household_ids(municipality, household_ids) -> set:
    """Of ``household_ids``, those that have a current housing allocation in ``municipality``.

    The settlement overview uses this to list households settled but without housing.
    """
    return set()
