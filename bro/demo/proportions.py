"""Every proportion and duration the demo generator draws from, with where it comes from.

Sources are the seed documents (``004:L426`` = ``shared/seeds/004_…``, line 426), published rules
marked **[public rule]** in DOMAIN.md, or "assumption" where the seeds give no number. Shares of
persons come out of household-level draws, so the realised shares wobble around these targets;
``python -m bro.demo`` prints what it built.

=================================  =========================================================================
what                               value and source
=================================  =========================================================================
ways into the chain (persons)      Ukraine (collective protection) 45 %: "siden mars 2023 … 40.000
                                   flyktninger, de fleste fra Ukraina" (001:L17). Asylum seekers 27 % and
                                   resettlement (quota) refugees 17 %: assumption; Harstad expects to
                                   settle mainly quota refugees (004:L489–491), and Norway took 8,000
                                   Syrian quota refugees 2016–18 (003:L900). Unaccompanied minors 3 %.
                                   Family-reunified persons (~4 %) join settled households later and
                                   come on top of the settlement figure (004:L494–496): 60 % of single
                                   men under 50 and 15 % of families (assumption).
unaccompanied minors               3 % of persons = ~10 % of asylum seekers: between 2015's 5,480 of
                                   31,145 (18 %, 003:L627–628) and 2016's 320 of 3,460 (9 %, 003:L660).
                                   90 % boys: assumption.
sex of single adults               asylum 80 % men ("Flertallet har vært menn", 004:L441); Ukraine 30 %
                                   men (men of fighting age could not leave): assumption; quota 50 %.
ages                               principal adults mostly 30–54 with a large share 20–29 (004:L439–441);
                                   programme age band 18–55 (004:L378–380).
household sizes                    assumption: asylum seekers mostly single (55 %), quota refugees in
                                   large families (mean ~4.3), Ukrainian households of mothers,
                                   children and grandparents (mean ~2.2).
nationalities                      assumption, after the groups named in DOMAIN.md and the seeds
                                   (Syria 003:L896, Somalia 000:L566, Iraq 004:L1846, Ukraine 001:L17).
rejection                          99 % of applications granted in 2022 (001:L17), nearly all Ukrainian;
                                   per-nationality rejection rates for other asylum seekers: assumption.
rejection branch                   final rejection → return or undocumented (003:L1644–1680); shares
                                   within the branch: assumption.
reception centres                  31 centres of every type; 4 municipal (14 of 140 in 2015/16,
                                   000:L84), most private, some non-profit (000:L85–86).
settlement municipalities          92 % of municipalities settle (assumption; nearly every municipality
                                   has been asked since 2022); weights ~ population^0.8 (assumption,
                                   settlement is "managed and spread", DOMAIN §3). Integration-centre
                                   residents settle in the centre's municipality (002:L424–447).
Harstad                            60 settled a year (004:L426) over the last 4 years, scaled down to
                                   2 % of the demo a year for small demos; quota refugees preferred
                                   (004:L489–491).
time to settlement                 ready → settled within 6 months, 3 for unaccompanied minors
                                   **[public rule]**, with a tail beyond.
programme                          starts within 3 months of settlement (004:L1275) for 88 %, later for
                                   12 % (late starts are deviations, 004:L1283–1285; share assumption);
                                   lasts up to 2 years, a 3rd year for 15 % ("2- eller 3-årige", 004:L378);
                                   Ukrainians up to 1 year **[public rule]**. 90 % of adults take part
                                   (assumption); half of the rest go straight to work.
programme outcomes                 men 72 % work or education, women 48 % (target 70 %, reached only by
                                   men, women below 50 %, 004:L1568–1572); work : education = 3 : 1
                                   (assumption).
interpreter need                   assumption: 92 % in the first year, falling to 25 % after 5 years;
                                   public services decide and order interpreters (004:L1124), IMDi wants
                                   the need forecast from arrivals (002:L148–178).
identity numbers                   assumption: a fødselsnummer for 95 % of settled persons (registered
                                   as residents when settled), a D-number or none before that.
estimated birth dates              assumption: 35 % of adults from Afghanistan, Eritrea and Somalia have
                                   1 January by convention, 5 % of others.
secondary moves, self-settlement   assumption: 4 % of settled households (not Harstad's, not joined by
                                   family) move once, 1–13 months after settlement (settled → settled);
                                   agreed self-settlement noted for 20 % of Ukrainian and 8 % of asylum
                                   settlements (≥100 municipalities allow it, 002:L211).
=================================  =========================================================================
"""

from __future__ import annotations

# fmt: off
UKRAINE, ASYLUM, UNACCOMPANIED, RESETTLEMENT = "ukraine", "asylum", "unaccompanied", "resettlement"

PATH_PERSON_SHARES = {UKRAINE: 0.45, ASYLUM: 0.27, UNACCOMPANIED: 0.03, RESETTLEMENT: 0.17}

# Household sizes: size → weight.
HOUSEHOLD_SIZES = {
    UKRAINE: {1: 0.35, 2: 0.30, 3: 0.20, 4: 0.10, 5: 0.05},
    ASYLUM: {1: 0.55, 2: 0.10, 3: 0.10, 4: 0.10, 5: 0.08, 6: 0.07},
    UNACCOMPANIED: {1: 1.0},
    RESETTLEMENT: {1: 0.10, 2: 0.08, 3: 0.12, 4: 0.18, 5: 0.18, 6: 0.14, 7: 0.11, 8: 0.09},
}
SINGLE_MALE_SHARE = {UKRAINE: 0.30, ASYLUM: 0.80, UNACCOMPANIED: 0.90, RESETTLEMENT: 0.50}
SPOUSE_SHARE = {UKRAINE: 0.30, ASYLUM: 0.85, RESETTLEMENT: 0.80}  # in households of 2 or more
GRANDPARENT_SHARE = {UKRAINE: 0.15, ASYLUM: 0.02, RESETTLEMENT: 0.05}
ELDERLY_SINGLE_SHARE = {UKRAINE: 0.15, ASYLUM: 0.02, RESETTLEMENT: 0.10}
# A single man settled ≥ 6 months ago is joined by his family (family reunification); families
# sometimes get one more child the same way.
REUNIFICATION_SINGLE = 0.60
REUNIFICATION_FAMILY = 0.15

NATIONALITIES = {
    UKRAINE: {"UA": 1.0},
    ASYLUM: {"SY": 24, "AF": 14, "ER": 12, "TR": 10, "SO": 7, "IQ": 7, "SD": 6, "XS": 6, "CD": 3},
    UNACCOMPANIED: {"AF": 45, "SY": 18, "ER": 15, "SO": 12, "SD": 5, "XS": 5},
    RESETTLEMENT: {"SY": 40, "CD": 25, "AF": 12, "SD": 10, "ER": 5, "XS": 5, "SO": 3},
}
REJECTION_RATE = {
    "SY": 0.05, "ER": 0.08, "AF": 0.30, "TR": 0.25, "SO": 0.40, "IQ": 0.55, "SD": 0.20, "XS": 0.15,
    "CD": 0.35, "UA": 0.0,
}
UNACCOMPANIED_REJECTION_RATE = 0.10
# The first households take these stages (path, stage), so that a demo of a few hundred persons
# still shows every phase; after them every draw follows the shares above.
COVERAGE = [
    (ASYLUM, "arrival"), (ASYLUM, "reception"), (ASYLUM, "permit_granted"), (ASYLUM, "ready_for_settlement"),
    (ASYLUM, "settled"), (ASYLUM, "final_rejection"), (ASYLUM, "returned"), (ASYLUM, "undocumented"),
    (ASYLUM, "undocumented_returned"), (RESETTLEMENT, "permit_granted"), (UNACCOMPANIED, "reception"),
]

# Where a household stands today. "decided" splits into the granted and rejected stages.
PRE_DECISION_STAGES = {
    UKRAINE: {"arrival": 0.015, "reception": 0.05, "decided": 0.935},
    ASYLUM: {"arrival": 0.03, "reception": 0.20, "decided": 0.77},
    UNACCOMPANIED: {"arrival": 0.04, "reception": 0.30, "decided": 0.66},
}
GRANTED_STAGES = {
    UKRAINE: {"permit_granted": 0.02, "ready_for_settlement": 0.04, "settled": 0.94},
    ASYLUM: {"permit_granted": 0.05, "ready_for_settlement": 0.12, "settled": 0.83},
    UNACCOMPANIED: {"permit_granted": 0.06, "ready_for_settlement": 0.15, "settled": 0.79},
    RESETTLEMENT: {"permit_granted": 0.08, "settled": 0.92},
}
REJECTED_STAGES = {
    ASYLUM: {"final_rejection": 0.30, "returned": 0.50, "undocumented": 0.15, "undocumented_returned": 0.05},
    UNACCOMPANIED: {"final_rejection": 0.50, "undocumented": 0.30, "returned": 0.20},
}

# Durations in days: (low, high) drawn uniformly.
ARRIVAL_TO_RECEPTION = (0, 10)
TRANSFER_AFTER = (14, 120)            # first centre (transit/emergency) → next centre
FIRST_CENTRE_TRANSIT = 0.30           # asylum seekers who pass a transit centre first
UKRAINE_EMERGENCY = 0.20              # Ukrainians who first stayed in an emergency centre (2022 surge)
INTEGRATION_CENTRE_SHARE = 0.10       # asylum seekers placed in an integration centre (002:L424–447)
PROCESSING = {UKRAINE: (7, 60), ASYLUM: (90, 540), UNACCOMPANIED: (90, 365)}
PERMIT_TO_READY = (5, 45)
READY_TO_SETTLED = {UKRAINE: (14, 120), ASYLUM: (30, 270), UNACCOMPANIED: (20, 120)}
RESETTLEMENT_PERMIT_TO_SETTLED = (60, 240)
REUNIFIED_JOIN_AFTER = (180, 1095)    # after the principal's settlement
REUNIFIED_PERMIT_TO_SETTLED = (0, 14)
RECEPTION_TO_REJECTION = (180, 720)
REJECTION_TO_RETURN = (30, 365)
REJECTION_TO_UNDOCUMENTED = (30, 240)
UNDOCUMENTED_TO_RETURN = (90, 720)
# How long a household already stands in its current stage, for stages it has not left.
TIME_IN_STAGE = {
    "arrival": (0, 10), "reception": (0, 540), "permit_granted": (0, 45), "ready_for_settlement": (0, 270),
    "final_rejection": (0, 365), "returned": (0, 1800), "undocumented": (0, 1400),
    "undocumented_returned": (0, 900),
}
RESETTLEMENT_WAITING = (0, 200)
UNACCOMPANIED_MAX_TIME_IN_STAGE = 365  # they must still be minors today       # selected by UNHCR, waiting to travel (permit granted, IMDi)

# Settlement dates: share of settlements per year back from today (0 = the last 12 months).
SETTLEMENT_YEARS = {
    UKRAINE: [0.14, 0.18, 0.28, 0.30, 0.10],           # the last stretch is 2022 relative to 2026
    ASYLUM: [0.20, 0.20, 0.20, 0.15, 0.13, 0.12],
    UNACCOMPANIED: [0.45, 0.40, 0.15],                 # they are still minors today
    RESETTLEMENT: [0.20, 0.20, 0.20, 0.15, 0.13, 0.12],
}

PROGRAMME_MIN_AGE, PROGRAMME_MAX_AGE = 18, 55
PROGRAMME_PARTICIPATION = 0.90
NO_PROGRAMME_STRAIGHT_TO_WORK = 0.50
NO_PROGRAMME_WORK_AFTER = (60, 400)
PROGRAMME_START_ON_TIME = 0.88
PROGRAMME_START = (7, 90)
PROGRAMME_START_LATE = (91, 200)
PROGRAMME_LENGTH = (300, 730)
PROGRAMME_THIRD_YEAR = 0.15
PROGRAMME_LENGTH_LONG = (731, 1095)
PROGRAMME_LENGTH_UKRAINE = (180, 365)
OUTCOMES = {  # sex → (work, education, other)
    "male": (0.54, 0.18, 0.28),
    "female": (0.36, 0.12, 0.52),
}

SETTLEMENT_MUNICIPALITY_SHARE = 0.92
SETTLEMENT_WEIGHT_POWER = 0.8
HARSTAD_PER_YEAR = 60
HARSTAD_MAX_YEARLY_SHARE = 0.02
HARSTAD_YEARS = 4
HARSTAD_RESETTLEMENT_PREFERENCE = 3.0
SECONDARY_MOVE = 0.04
SECONDARY_MOVE_AFTER = (30, 400)
SELF_SETTLEMENT = {UKRAINE: 0.20, ASYLUM: 0.08, UNACCOMPANIED: 0.0, RESETTLEMENT: 0.03}

# Interpreter need for the mother tongue by full years since the first event.
INTERPRETER_BY_YEARS = [0.92, 0.80, 0.60, 0.40, 0.40, 0.25]
INTERPRETER_CHILD = 0.10              # under 16 today, after the first year
SECOND_LANGUAGE = 0.35
NORWEGIAN_AFTER_YEARS = 2             # settled this long: Norwegian listed as a second language

IDENTITY = {  # current phase → (fødselsnummer, D-number); the rest have none
    "arrival": (0.0, 0.10),
    "reception": (0.0, 0.50),
    "permit_granted": (0.0, 0.55),
    "ready_for_settlement": (0.0, 0.65),
    "settled": (0.95, 0.03),
    "in_programme": (0.95, 0.03),
    "finished": (0.96, 0.03),
    "final_rejection": (0.0, 0.50),
    "returned": (0.0, 0.50),
    "undocumented": (0.0, 0.50),
}
ESTIMATED_BIRTH_DATE = {"AF": 0.35, "ER": 0.35, "SO": 0.35}
ESTIMATED_BIRTH_DATE_OTHER = 0.05
# fmt: on
