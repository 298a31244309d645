"""A loaded questionnaire: the typed tree plus everything resolved from it."""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from engine.definition.cldr_lists import COUNTRIES, FALLBACK, LANGUAGES, CldrLists
from engine.definition.expressions import Expression
from engine.definition.model import Codelist, Question, QuestionnaireSource, Section
from engine.definition.qtypes import OwnChoices, QuestionType
from engine.questionnaire.memo import Memo
from engine.translation.texts import Text, Translations

YES_NO = ["yes", "no"]
STAFF_AUDIENCE = "staff"
MEMO_SIZE = 4096  # about 300 values a language pair (texts, choices, a renderer's markup)
# What the memo's values are computed from: setting one of these (the loader does, while it
# builds a version) empties the memo.
MEMO_SOURCES = frozenset({"source", "types", "codelists", "translations", "codelist_translations",
                          "cldr", "audio"})  # fmt: skip


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(eq=False)
class Questionnaire:
    source: QuestionnaireSource
    directory: Path
    types: dict[str, QuestionType]
    codelists: dict[str, Codelist]
    translations: Translations
    codelist_translations: Translations
    cldr: CldrLists | None = None
    visible_if: dict[str, Expression] = field(default_factory=dict)
    checks: dict[str, list[tuple[Expression, str]]] = field(default_factory=dict)
    images: dict = field(default_factory=dict)  # file name -> engine.definition.media_images.Image
    audio: dict = field(default_factory=dict)
    """Clips by language and text path (`engine.definition.audio.Index`)."""
    memo: Memo = field(default_factory=lambda: Memo(MEMO_SIZE), repr=False)
    """Values computed once per version, language and question (choices, labels, pages)."""

    def __setattr__(self, name: str, value: object) -> None:
        super().__setattr__(name, value)
        if name in MEMO_SOURCES and "memo" in self.__dict__:
            self.memo.clear()

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def version(self) -> int:
        return self.source.version

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question, nested ones included, by id."""
        return {q.id: q for s in self.source.sections for top in s.questions for q in top.walk()}

    @cached_property
    def group_of(self) -> dict[str, str]:
        """Id of the group a nested question belongs to."""
        return {
            child.id: question.id
            for question in self.questions.values()
            for child in question.questions
        }

    @cached_property
    def section_of(self) -> dict[str, str]:
        return {q.id: s.id for s in self.source.sections for top in s.questions for q in top.walk()}

    def sections(self, include_staff: bool = False) -> list[Section]:
        return [s for s in self.source.sections if include_staff or s.audience != STAFF_AUDIENCE]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.source.sections if s.id == section_id), None)

    def qtype(self, question: Question) -> QuestionType:
        return self.types[question.type]

    def languages(self) -> list[str]:
        return self.translations.languages()

    def choices(self, question: Question) -> list[str]:
        """The values an answer to `question` may take (empty if it is not a choice)."""
        return list(self.memo.get(("choices", question.id), lambda: self._choices(question)))

    def _choices(self, question: Question) -> tuple[str, ...]:
        source = self.qtype(question).options
        if source == "yes_no":
            base = YES_NO
        elif source in (COUNTRIES, LANGUAGES):
            left_out = set(self.source.left_out_options.get(source, ()))
            base = [code for code in self.cldr.codes[source] if code not in left_out]
        elif source == "list":
            base = self._list_values(question)
        elif isinstance(source, OwnChoices):
            base = source.values(question) if self.qtype(question).fits(question) else []
        else:
            return ()
        return (*base, *(v for v in question.extra_options if v not in base))

    def _list_values(self, question: Question) -> list[str]:
        if isinstance(question.options, list):
            return question.options
        if question.options in self.source.option_lists:
            return self.source.option_lists[question.options]
        codelist = self.codelists.get(question.options or "")
        return codelist.values if codelist else []

    def options(self, question: Question, lang: str) -> list[Option]:
        """Choices with their labels in `lang`; CLDR lists: first options, then by name."""
        key = ("options", question.id, lang)
        return list(self.memo.get(key, lambda: self._options(question, lang)))

    def _options(self, question: Question, lang: str) -> tuple[Option, ...]:
        labels = self.option_labels(question, lang)
        options = [Option(value, labels[value]) for value in self.choices(question)]
        source = self.qtype(question).options
        if source in (COUNTRIES, LANGUAGES):
            if not self.cldr.latin(lang):
                options = [o for o in options if self._named(question, source, o.value, lang)]
            options.sort(key=self._cldr_sort_key(question, source, lang))
        return tuple(options)

    def _named(self, question: Question, source: str, value: str, lang: str) -> bool:
        """Whether a list in `lang` can name `value` without English: extras always can."""
        own = self.cldr.name(source, value, lang) or self.cldr.own_name(source, value)
        return bool(own) or value in question.extra_options

    def _cldr_sort_key(self, question: Question, source: str, lang: str):
        """First options in their order, then CLDR-named ones by name, then the other extras."""
        first = self.source.first_options.get(source, [])
        order = self.cldr.order.get(lang, {}).get(source)
        rank = {code: index for index, code in enumerate(order or ())}
        extras = set(question.extra_options)

        def key(option: Option):
            value = option.value
            named = value not in extras or self._cldr_label(source, value, lang, False)
            if value in first:
                return (0, first.index(value), "")
            return (1 if named else 2, rank.get(value, len(rank)), option.label.value.casefold())

        return key

    def option_label(self, question: Question, value: str, lang: str) -> Text:
        label = self.option_labels(question, lang).get(value)
        return label if label is not None else self._option_label(question, value, lang)

    def option_labels(self, question: Question, lang: str) -> dict[str, Text]:
        """The label in `lang` of every choice of `question`, looked up once."""
        return self.memo.get(
            ("option labels", question.id, lang),
            lambda: {v: self._option_label(question, v, lang) for v in self.choices(question)},
        )

    def _option_label(self, question: Question, value: str, lang: str) -> Text:
        source = self.qtype(question).options
        if isinstance(source, OwnChoices) and value not in question.extra_options:
            return Text(source.label(question, value, lang), lang)
        if source in ("countries", "languages") and value not in question.extra_options:
            return self._cldr_label(source, value, lang)
        if source in ("countries", "languages"):
            return self._extra_label(source, value, lang)
        if source == "yes_no":
            return self.translations.text(lang, "options", "yes_no", value)
        if isinstance(question.options, list):
            return self.translations.text(lang, "options", question.id, value)
        if question.options in self.source.option_lists:
            return self.translations.text(lang, "options", question.options, value)
        return self.codelist_translations.text(lang, question.options or "", value)

    def _extra_label(self, source: str, value: str, lang: str) -> Text:
        """An added value: CLDR's name in `lang`, the translation file's, its own, the source's."""
        name = self.cldr.name(source, value, lang)
        translated = self.translations.text(lang, "options", "extra", value)
        if name:
            return Text(name, lang)
        if translated.lang == lang:
            return translated
        return self._cldr_label(source, value, lang, fallback=False) or translated

    def _cldr_label(self, source: str, value: str, lang: str, fallback: bool = True) -> Text | None:
        """The name in `lang`, else in its own language, else English, else the code."""
        name = self.cldr.name(source, value, lang)
        if name:
            return Text(name, lang)
        own = self.cldr.own_name(source, value)
        if own:
            return Text(*own)
        english = self.cldr.english_name(source, value)
        if english:
            return Text(english, FALLBACK)
        return Text(value, lang) if fallback else None

    def direction(self, lang: str) -> str:
        """'rtl' or 'ltr' for an offered language, as CLDR gave it when the version was made."""
        locale = self.cldr.locales.get(lang)
        return locale.dir if locale else "ltr"

    def label(self, question: Question, lang: str) -> Text:
        return self.translations.text(lang, "questions", question.id, "label")

    def hint(self, question: Question, lang: str) -> Text | None:
        return self.translations.get(lang, "questions", question.id, "hint")

    def required_message(self, question: Question, lang: str) -> Text | None:
        """The question's own message for a missing answer, if its translations give one."""
        return self.translations.get(lang, "questions", question.id, "required")

    def add_label(self, question: Question, lang: str) -> Text | None:
        """What a group's add button says ("Add an education"), if its translations give it."""
        return self.translations.get(lang, "questions", question.id, "add")

    def row_label(self, question: Question, row: str, lang: str) -> Text:
        return self.translations.text(lang, "questions", question.id, "rows", row)

    def section_title(self, section: Section, lang: str) -> Text:
        return self.translations.text(lang, "sections", section.id, "title")

    def section_intro(self, section: Section, lang: str) -> Text | None:
        return self.translations.get(lang, "sections", section.id, "intro")

    def title(self, lang: str) -> Text:
        return self.translations.text(lang, self.source.title)

    def message(self, key: str, lang: str) -> Text:
        return self.translations.text(lang, "messages", key)
