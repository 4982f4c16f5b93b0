"""The yearly partner survey: its statements by principle, and the five-step scale they are answered on.

The national överenskommelse with civil society rests on six principles; delaktighet and utveckling are the
region's own two. Each statement is known by its Swedish wording and its English translation: an import
matches a question column to its statement by either (civsam.workbook), the template writes both
(civsam.template), and the pages and the JSON name each principle by its key here.
"""

from typing import NamedTuple


class Statement(NamedTuple):
    key: str  # "dialog:1": the principle and the statement's place under it, as stored
    principle: str
    swedish: str
    english: str


PRINCIPLES = ("självständighet och oberoende", "dialog", "kvalitet", "långsiktighet", "öppenhet och insyn",
              "mångfald", "delaktighet", "utveckling")
_WORDINGS = {
    "självständighet och oberoende": (
        ("Vår organisation kan driva sina egna frågor i samverkan med regionen.",
         "Our organisation can pursue its own issues in collaboration with the region."),
        ("Regionen respekterar vår organisations oberoende, även när vi är kritiska.",
         "The region respects our organisation's independence, even when we are critical.")),
    "dialog": (
        ("Regionen bjuder in oss till dialog i frågor som berör oss.",
         "The region invites us to dialogue on issues that concern us."),
        ("Vi får återkoppling på de synpunkter vi lämnar.", "We get feedback on the views we give.")),
    "kvalitet": (
        ("Samverkan med regionen håller god kvalitet.", "Collaboration with the region is of good quality."),
        ("Regionen tar tillvara vår kunskap och erfarenhet.", "The region makes use of our knowledge and experience.")),
    "långsiktighet": (
        ("Samverkan med regionen är långsiktig och inte bara projekt för projekt.",
         "Collaboration with the region is long-term and not just project by project."),
        ("Vi vet vad regionen vill med samverkan de kommande åren.",
         "We know what the region wants from collaboration in the coming years.")),
    "öppenhet och insyn": (
        ("Regionen är öppen med hur beslut som berör oss fattas.",
         "The region is open about how decisions that concern us are made."),
        ("Vi har insyn i hur regionens resurser för samverkan används.",
         "We have insight into how the region's resources for collaboration are used.")),
    "mångfald": (
        ("Regionen samverkar med många olika slags organisationer, också små och nya.",
         "The region collaborates with many different kinds of organisations, small and new ones too."),
        ("Organisationer i hela länet, inte bara i de större orterna, har möjlighet att delta.",
         "Organisations in the whole county, not only in the larger towns, have the opportunity to take part.")),
    "delaktighet": (
        ("Vi känner oss delaktiga i regionens utvecklingsarbete.",
         "We feel part of the region's development work."),),
    "utveckling": (
        ("Samverkan med regionen har blivit bättre det senaste året.",
         "Collaboration with the region has improved over the past year."),),
}
STATEMENTS = tuple(Statement(f"{principle}:{place}", principle, swedish, english)
                   for principle in PRINCIPLES
                   for place, (swedish, english) in enumerate(_WORDINGS[principle], start=1))

# The scale from 5 down to 1, in Swedish and English; "Vet ej" (don't know) counts as no answer.
SCALE = (("Instämmer helt", "Fully agree"), ("Instämmer till stor del", "Largely agree"),
         ("Instämmer delvis", "Partly agree"), ("Instämmer till liten del", "Slightly agree"),
         ("Instämmer inte alls", "Do not agree at all"))
SCALE_VALUES = {words: 5 - place for place, words in enumerate(SCALE)}
DONT_KNOW = ("Vet ej", "Don't know")
AGREE = 4  # an answer of 4 or 5 agrees
FEWEST = 5  # fewer respondents than this in a group show as "för få svar": a share could point to one of them

# The optional questions beside the statements
ORGANISATION_QUESTION = ("Organisation", "Organization")
COMMENT_QUESTION = ("Övriga synpunkter", "Other comments")
