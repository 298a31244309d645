"""The loaded questionnaires of a running app."""

from dataclasses import dataclass

from engine.questionnaire import Questionnaire


@dataclass
class QuestionnaireRegistry:
    questionnaires: dict[tuple[str, int], Questionnaire]
    active_id: str

    def get(self, questionnaire_id: str, version: int) -> Questionnaire | None:
        return self.questionnaires.get((questionnaire_id, version))

    def latest(self, questionnaire_id: str) -> Questionnaire | None:
        versions = [q for (qid, _), q in self.questionnaires.items() if qid == questionnaire_id]
        return max(versions, key=lambda q: q.version, default=None)

    def active(self) -> Questionnaire:
        """The newest version of the questionnaire respondents are given."""
        questionnaire = self.latest(self.active_id)
        if questionnaire is None:
            raise LookupError(f"no questionnaire '{self.active_id}' is installed")
        return questionnaire
