"""The bundled union's own words that its rules put in their sentences (the meeting body its treaty names, the
months a rule may name), marked so that each catalog says them in the treaty's terms: "ārlietu ministru
konferences", not a word-for-word "sanāksmes"."""

from entente.languages.catalog import N_

TERMS = [
    N_("conferences of foreign ministers"), N_("conference of foreign ministers"), N_("meetings"),
    N_("meeting"), N_("the parties"), N_("foreign minister"),
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"), N_("August"),
    N_("September"), N_("October"), N_("November"), N_("December"),
    # Acts, forms and outcomes a rule names.
    N_("non-aggression pact"), N_("diplomatic"), N_("military"), N_("accepted"), N_("rejected"),
    N_("denounced"), N_("annulled"), N_("lapsed"), N_("expired"), N_("unanimity"), N_("consensus"),
    N_("written procedure"),
    # How the Baltic treaty's end is read besides its annulment.
    N_("lost with the parties' independence"), N_("suspended, unlawfully, with the occupation"),
]

