"""What a load-test respondent answers, section by section, and how to check it was kept.

Shared by the locustfile (which posts it) and the run (which checks every submitted response
in the database holds all of it), so a lost save or a lost entry is found.
"""

# Each step: (section, answers posted with "next", [entries added first: (group, answers)]).
EDUCATION = [
    {"edu_level": "3", "edu_field": "07", "edu_name": "Electrician", "edu_country": "SY",
     "edu_start_year": "2008", "edu_status": "completed", "edu_end_year": "2011",
     "edu_documented": "yes"},
    {"edu_level": "6", "edu_field": "09", "edu_name": "Nursing", "edu_country": "TR",
     "edu_start_year": "2014", "edu_status": "ongoing", "edu_documented": "no"},
]  # fmt: skip
OTHER_LANGUAGES = [
    {"other_language": "en", "other_language_level.understand": "good",
     "other_language_level.speak": "basic"},
]  # fmt: skip
JOBS = [
    {"job_title": "Electrician", "job_isco": "7", "job_country": "SY", "job_from_year": "2011",
     "job_ongoing": "no", "job_to_year": "2014", "job_type": "employee",
     "job_tasks": "Wiring houses"},
    {"job_title": "Care assistant", "job_isco": "5", "job_country": "NO", "job_from_year": "2024",
     "job_ongoing": "yes", "job_type": "employee"},
]  # fmt: skip
STEPS = [
    ("personal", {"citizenship": "SY", "mother_tongue": "ar"}, []),
    ("education", {"school_years": "12"}, [("education", entry) for entry in EDUCATION]),
    ("language", {
        "mother_tongue_literacy": "yes", "scripts": "arabic",
        "norwegian_level.understand": "basic", "norwegian_level.speak": "basic",
        "english_level.read": "good",
    }, [("other_languages", entry) for entry in OTHER_LANGUAGES]),
    ("digital", {"devices": "smartphone", "digital_tasks.messaging": "alone"}, []),
    ("licence", {"has_licence": "no"}, []),
    ("work", {"has_work_experience": "yes"}, [("jobs", entry) for entry in JOBS]),
    ("wishes", {"wished_work": "Electrician", "goals": "Work as an electrician"}, []),
]  # fmt: skip
# The respondent's requests, by the names the locustfile gives them: every page and save.
RESPONDENT_KINDS = ("start page", "form start", "log-in page", "log in", "section page",
                    "add entry", "save", "review page", "submit", "receipt page")  # fmt: skip
BACK_FROM = "wishes"  # the respondent goes back once from here, and saves the section before again


def form_fields(answers: dict, prefix: str = "q") -> dict:
    return {f"{prefix}.{name}": value for name, value in answers.items()}


def entry_fields(group: str, index: int, answers: dict) -> dict:
    return form_fields(answers, f"q.{group}.{index}")


def section_fields(answers: dict, entries: list) -> dict:
    """A section's whole form once every entry is filled in, as its last save posts it."""
    fields = form_fields(answers)
    for index, (group, entry) in enumerate(entries):
        fields.update(entry_fields(group, index, entry))
        fields[f"q.{group}.count"] = str(index + 1)
    return fields


def step_before(section: str) -> tuple:
    index = [step[0] for step in STEPS].index(section)
    return STEPS[index - 1]


def missing_answers(stored: dict) -> list[str]:
    """What the journey answered that a stored response lacks (empty when complete)."""
    missing = []
    for section, answers, entries in STEPS:
        missing += [f"{section}.{name}" for name in answers if not _has(stored, name)]
        groups = {group for group, _ in entries}
        for group in groups:
            expected = [answers for name, answers in entries if name == group]
            kept = stored.get(group, [])
            if len(kept) != len(expected):
                missing.append(f"{group}: {len(kept)} of {len(expected)} entries")
                continue
            for index, entry in enumerate(expected):
                missing += [f"{group}.{index}.{n}" for n in entry if not _has(kept[index], n)]
    return missing


def _has(stored: dict, dotted: str) -> bool:
    """A posted name's value is stored; `a.b` is row b of scale a, a list holds its items."""
    name, _, row = dotted.partition(".")
    value = stored.get(name)
    if row:
        return isinstance(value, dict) and row in value
    return value is not None and value != []
