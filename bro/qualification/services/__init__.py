"""Writes on a participant's case, split by area: ``case`` (open, assign, start with deviations, end, status
one year after) and ``planning`` (competence mapping, goals, the versioned plan), on ``common`` helpers.

Each service checks permissions (bro.qualification.permissions), validates everything before writing
anything, writes in one transaction and records the change in the audit log. Decisions and appeals live in
``bro.qualification.decisions``; attendance, tests and the benefit in ``bro.qualification.attendance``.
"""

from bro.people.services import Actor
from bro.qualification.services.case import (
    ADULT_EDUCATION_LEGAL_BASIS,
    assign,
    end_programme,
    open_case,
    record_deviation,
    record_one_year_status,
    start_programme,
)
from bro.qualification.services.common import (
    Errors,
    mapping_completed_on,
    person_facts,
    require_manage,
)
from bro.qualification.services.planning import (
    EducationInput,
    MappingInput,
    MeasureInput,
    WorkInput,
    save_mapping,
    save_plan,
    set_goals,
)

__all__ = [
    "ADULT_EDUCATION_LEGAL_BASIS",
    "Actor",
    "EducationInput",
    "Errors",
    "MappingInput",
    "MeasureInput",
    "WorkInput",
    "assign",
    "end_programme",
    "mapping_completed_on",
    "open_case",
    "person_facts",
    "record_deviation",
    "record_one_year_status",
    "require_manage",
    "save_mapping",
    "save_plan",
    "set_goals",
    "start_programme",
]
