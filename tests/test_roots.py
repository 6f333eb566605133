"""One or more sentences per CAMEO root, written for these tests, coded end to end.

Each case names the CAMEO code, the source and target actor codes and the modality the coder must
produce for it; a case passes when one event of the sentence has all four. ANY leaves the target
unchecked where the sentence is about the action, not about who receives it. Variants check that
negation, the future, possibility and reported speech change the event as docs/patterns.md says.
The coder is parsed once per sentence (session-scoped fixture), so the whole file runs in seconds.
"""

from __future__ import annotations

from datetime import date

import pytest

ANY = object()
DAY = date(2024, 5, 6)

# (sentence, CAMEO code, source code, target code or None or ANY, modality)
CASES = [
    # ---- 01 make public statement
    ("Iran declined to comment on the report.", "011", "IRN", None, "asserted"),
    ("The Kremlin voiced pessimism about the negotiations.", "012", "RUSGOV", None, "asserted"),
    ("The Kremlin expressed optimism about the talks with Japan.", "013", "RUSGOV", None, "asserted"),
    ("Hamas claimed responsibility for the attack on Israel.", "015", "PSEREB", "ISR", "asserted"),
    ("Russia denied involvement in the poisoning.", "016", "RUS", None, "asserted"),
    ("Tehran called the abduction allegations baseless.", "016", "IRNGOV", None, "asserted"),
    ("The French president laid a wreath at the memorial.", "017", "FRAGOV", None, "asserted"),
    ("Germany sent condolences to Turkey after the earthquake.", "018", "DEU", ANY, "asserted"),
    # ---- 02 appeal
    ("Egypt called for an immediate ceasefire in Gaza.", "027", "EGY", None, "asserted"),
    ("The United Nations appealed for humanitarian aid for Sudan.", "0233", "IGOUNO", None, "asserted"),
    ("France urged Iran to release the detained journalists.", "0253", "FRA", "IRN", "asserted"),
    ("The European Union called for the resignation of the Belarusian president.", "0241", "IGOEUREEC", ANY,
     "asserted"),
    ("Japan asked China to resume talks.", "026", "JPN", "CHN", "asserted"),
    ("Germany urged Russia to withdraw its troops.", "0256", "DEU", "RUS", "asserted"),
    ("The Arab League appealed for mediation in the dispute.", "028", "IGOMEAARL", None, "asserted"),
    ("Turkey urged Greece to lift the sanctions.", "0254", "TUR", "GRC", "asserted"),
    # ---- 03 express intent to cooperate
    ("Japan pledged $500 million in loans to Indonesia.", "0331", "JPN", "IDN", "asserted"),
    ("China offered to mediate between India and Pakistan.", "039", "CHN", ANY, "asserted"),
    ("Iran agreed to talks with the United States.", "036", "IRN", "USA", "asserted"),
    ("Russia promised to release the prisoners.", "0353", "RUS", None, "asserted"),
    ("Turkey agreed to provide military aid to Azerbaijan.", "0332", "TUR", "AZE", "asserted"),
    ("Israel agreed to lift the blockade of Gaza.", "0356", "ISR", ANY, "asserted"),
    ("The Serbian president promised to hold free elections.", "034", "SRBGOV", ANY, "asserted"),
    ("Japan offered to provide food to North Korea.", "0333", "JPN", ANY, "asserted"),
    # ---- 04 consult
    ("The Chinese president telephoned his Russian counterpart.", "041", "CHNGOV", "RUS", "asserted"),
    ("The German chancellor visited Poland.", "042", "DEUGOV", "POL", "asserted"),
    ("Egypt hosted the Sudanese president.", "043", "EGY", "SDNGOV", "asserted"),
    ("Qatar mediated between Israel and Hamas.", "045", "QAT", "ISR", "asserted"),
    ("Israel held talks with Egypt.", "046", "ISR", "EGY", "asserted"),
    ("Iran and Iraq held talks on Tuesday.", "046", "IRQ", "IRN", "asserted"),
    ("Russia and China met on Tuesday.", "040", "CHN", "RUS", "asserted"),
    ("The Russian foreign minister attended the ASEAN summit in Jakarta.", "044", "RUSGOV", "IGOSEAASN", "asserted"),
    ("The Russian foreign minister attended a summit in Jakarta.", "044", "RUSGOV", "IDN", "asserted"),
    # ---- 05 engage in diplomatic cooperation
    ("The French president praised Germany for its leadership.", "051", "FRAGOV", "DEU", "asserted"),
    ("Russia defended Syria at the United Nations.", "052", "RUS", "SYR", "asserted"),
    ("Israel recognized Kosovo.", "054", "ISR", "KSV", "asserted"),
    ("Japan apologized to South Korea.", "055", "JPN", "KOR", "asserted"),
    ("Israel and Jordan signed a peace treaty.", "057", "JOR", "ISR", "asserted"),
    ("Ukraine signed an agreement with the European Union.", "057", "UKR", "IGOEUREEC", "asserted"),
    # ---- 06 engage in material cooperation
    ("Russia extradited the suspect to Germany.", "063", "RUS", "DEU", "asserted"),
    ("Israel shared intelligence with the United States.", "064", "ISR", "USA", "asserted"),
    ("Egypt and Jordan held joint military exercises.", "062", "EGY", "JOR", "asserted"),
    # ---- 07 provide aid
    ("The United States supplied weapons to Ukraine.", "072", "USA", "UKR", "asserted"),
    ("Germany sent humanitarian aid to the Syrian refugees.", "073", "DEU", ANY, "asserted"),
    ("The IMF approved a loan for Kenya.", "071", "IGOBUSIMF", "KEN", "asserted"),
    # ---- 08 yield
    ("The president of Egypt resigned.", "0831", "EGYGOV", None, "asserted"),
    ("Israel released 50 Palestinian prisoners.", "0841", "ISR", "PSE", "asserted"),
    ("The United States lifted sanctions on Cuba.", "085", "USA", "CUB", "asserted"),
    ("Syria allowed UN inspectors into the site.", "0862", "SYR", "IGOUNO", "asserted"),
    ("Russia declared a ceasefire in Ukraine.", "0871", "RUS", ANY, "asserted"),
    ("Israel withdrew its troops from Gaza.", "087", "ISR", ANY, "asserted"),
    ("The striking teachers called off their strike.", "082", "---EDU", None, "asserted"),
    ("The Kenyan teachers' union called off its strike.", "082", "KENLAB", "KEN", "asserted"),
    ("The Georgian opposition agreed to postpone its rally.", "0352", "GEOOPP", "GEO", "asserted"),
    # ---- 09 investigate
    ("The United Nations launched an investigation into the killing.", "091", "IGOUNO", None, "asserted"),
    ("France investigated war crimes in Syria.", "094", "FRA", ANY, "asserted"),
    # ---- 10 demand
    ("Ukraine demanded the release of its sailors.", "1053", "UKR", ANY, "asserted"),
    # the opposition that demands a government's resignation is that country's
    ("The opposition demanded the resignation of the Serbian prime minister.", "1041", "SRBOPP", "SRBGOV",
     "asserted"),
    ("Iran demanded talks with the European Union.", "106", "IRN", "IGOEUREEC", "asserted"),
    ("Israel demanded the withdrawal of Iranian troops from Syria.", "1056", "ISR", ANY, "asserted"),
    # ---- 11 disapprove
    ("China criticized Japan.", "111", "CHN", "JPN", "asserted"),
    ("Germany and France disagreed over the budget.", "110", "DEU", "FRA", "asserted"),
    ("Russia accused Ukraine of shelling the city.", "1123", "RUS", "UKR", "asserted"),
    ("Russia blamed the attack on Ukraine.", "112", "RUS", "UKR", "asserted"),
    ("Iran accused Israel of espionage.", "1125", "IRN", "ISR", "asserted"),
    ("Iraq summoned the Turkish ambassador.", "114", "IRQ", "TURGOV", "asserted"),
    ("Syria complained to the United Nations about Turkish shelling.", "114", "SYR", "TUR", "asserted"),
    ("Syria complained to the United Nations about the shelling.", "114", "SYR", "IGOUNO", "asserted"),
    ("Iran sued the United States.", "115", "IRN", "USA", "asserted"),
    ("A Tunisian court convicted a Nigerian student.", "116", "TUNJUD", "NGAEDU", "asserted"),
    # ---- 12 reject
    ("Russia vetoed the resolution.", "129", "RUS", ANY, "asserted"),
    ("Iran rejected talks with the United States.", "125", "IRN", "USA", "asserted"),
    ("Syria refused to withdraw its troops from Lebanon.", "1246", "SYR", ANY, "asserted"),
    ("Iran rejected the peace plan.", "127", "IRN", None, "asserted"),
    ("The Serbian prime minister refused to resign.", "1231", "SRBGOV", None, "asserted"),
    ("Egypt refused to release the prisoners.", "1243", "EGY", None, "asserted"),
    ("China declined to meet the Japanese envoy.", "125", "CHN", "JPNGOV", "asserted"),
    # ---- 13 threaten
    ("North Korea threatened to attack South Korea.", "1384", "PRK", "KOR", "asserted"),
    ("China threatened to impose sanctions on Japan.", "1312", "CHN", "JPN", "asserted"),
    ("Russia threatened to cut ties with Georgia.", "1313", "RUS", "GEO", "asserted"),
    ("Iran threatened to use force against Israel.", "138", "IRN", "ISR", "asserted"),
    ("The unions threatened to hold a general strike.", "133", "---LAB", None, "asserted"),
    ("The United States issued an ultimatum to Iraq.", "139", "USA", "IRQ", "asserted"),
    # ---- 14 protest
    ("Egyptian students demonstrated against Israel.", "141", "EGYEDU", "ISR", "asserted"),
    ("Palestinian prisoners went on a hunger strike.", "142", "PSE", "PSE", "asserted"),
    ("French workers went on strike.", "143", "FRALAB", "FRA", "asserted"),
    ("Protesters blocked roads in Beirut.", "144", "LBNOPP", ANY, "asserted"),
    ("Palestinian youths rioted in Jerusalem.", "145", "PSECVL", ANY, "asserted"),
    ("Thousands of Chilean students staged a protest against the education law.", "1412", "CHLEDU", ANY,
     "asserted"),
    # ---- 15 exhibit force posture
    ("Russia put its troops on alert.", "152", "RUS", None, "asserted"),
    ("Iran deployed troops to the border with Iraq.", "154", "IRN", ANY, "asserted"),
    ("China held military drills near Taiwan.", "150", "CHN", ANY, "asserted"),
    # ---- 16 reduce relations
    ("Russia cut diplomatic ties with Georgia.", "161", "RUS", "GEO", "asserted"),
    ("Rwanda expelled the French ambassador.", "161", "RWA", "FRAGOV", "asserted"),
    ("The United States imposed sanctions on Iran.", "163", "USA", "IRN", "asserted"),
    ("Israel suspended talks with Syria.", "164", "ISR", "SYR", "asserted"),
    ("Israel halted aid to Gaza.", "162", "ISR", "PSE", "asserted"),
    ("Mali expelled the UN peacekeepers.", "1661", "MLI", "IGOUNOMIL", "asserted"),
    # ---- 17 coerce
    ("The Iranian police arrested dozens of protesters.", "173", "IRNCOP", ANY, "asserted"),
    ("Israel demolished Palestinian homes.", "1712", "ISR", "PSE", "asserted"),
    ("Egyptian police used tear gas against the demonstrators.", "175", "EGYCOP", ANY, "asserted"),
    ("Turkey imposed a curfew on Diyarbakir.", "1723", "TUR", ANY, "asserted"),
    ("Russia deported the Georgian journalists.", "174", "RUS", "GEOMED", "asserted"),
    ("The government declared a state of emergency.", "1724", "---GOV", None, "asserted"),
    ("The Turkish government banned the opposition party.", "1722", "TURGOV", ANY, "asserted"),
    ("North Korea hacked into the computers of the South Korean army.", "170", "PRK", ANY, "asserted"),
    # ---- 18 assault
    ("Syrian rebels kidnapped two Turkish journalists.", "181", "SYRREB", "TURMED", "asserted"),
    ("Iraqi insurgents tortured Iraqi soldiers.", "1822", "IRQREB", "IRQMIL", "asserted"),
    ("Iraqi insurgents assassinated the governor of Basra.", "186", "IRQREB", "IRQGOV", "asserted"),
    ("Afghan rebels planted a roadside bomb.", "1833", "AFGREB", None, "asserted"),
    # ---- 19 fight
    ("Israel launched air strikes against Hamas.", "195", "ISR", "PSEREB", "asserted"),
    ("Syrian troops shelled Aleppo.", "194", "SYRMIL", "SYR", "asserted"),
    ("Russia invaded Ukraine.", "190", "RUS", "UKR", "asserted"),
    ("Israel occupied the Golan Heights.", "192", "ISR", ANY, "asserted"),
    ("Indian and Pakistani troops exchanged fire across the border.", "193", "INDMIL", ANY, "asserted"),
    # ---- 20 unconventional mass violence
    ("Serbian forces massacred Bosnian civilians.", "202", "SRBMIL", "BIHCVL", "asserted"),
    ("Syria used chemical weapons against its own people.", "2041", "SYR", ANY, "asserted"),

    # ---- modality and reported speech
    # negated conflict keeps its code, marked negated
    ("Russia did not attack Georgia.", "190", "RUS", "GEO", "negated"),
    ("Israel never bombed the Iranian reactor.", "195", "ISR", ANY, "negated"),
    # a negated act of cooperation is an asserted rejection (modality.yaml)
    ("Japan did not sign the agreement with China.", "127", "JPN", ANY, "asserted"),
    # future acts: the intent code CAMEO prescribes
    ("Iran will visit Iraq next week.", "036", "IRN", "IRQ", "future"),
    ("The Chinese president will meet the Russian president on Friday.", "036", "CHNGOV", "RUSGOV", "future"),
    ("Turkey will send aid to Syria.", "033", "TUR", "SYR", "future"),
    ("The United States will impose sanctions on Russia if it invades Ukraine.", "1312", "USA", "RUS", "asserted"),
    ("The United States will impose new sanctions on Russia next week.", "163", "USA", "RUS", "future"),
    # possibility
    ("Russia could impose sanctions on Turkey.", "163", "RUS", "TUR", "hypothetical"),
    ("Iran might attack Israel.", "190", "IRN", "ISR", "hypothetical"),
    # reported speech: the embedded event, between its own actors
    ("Israel said Hamas attacked the town.", "190", "PSEREB", None, "asserted"),
    ("The ministry said China had expelled the British diplomats.", "161", "CHN", "GBRGOV", "asserted"),
    ("Officials said Turkey shelled Syrian positions.", "194", "TUR", "SYR", "asserted"),
    # claiming a hostile act of someone accuses them; the act claimed is no fact of its own
    ("Iran claimed that Israel bombed its nuclear facilities.", "112", "IRN", "ISR", "asserted"),
    # "X accused Y of attacking Z": the accusation, X -> Y
    ("Egypt accused Israel of attacking the convoy.", "1123", "EGY", "ISR", "asserted"),
    # a governing verb stands for the governed one
    ("Russia threatened to invade Georgia.", "1384", "RUS", "GEO", "asserted"),
    ("Japan agreed to provide economic aid to Vietnam.", "0331", "JPN", "VNM", "asserted"),
    # a promise not to do something is a refusal
    ("Israel vowed not to withdraw from the Golan Heights.", "120", "ISR", ANY, "asserted"),
    # the place may hang on the pattern's noun: the authorities of that place did it
    ("A US national has been put under investigation in Italy for her role in rioting.", "090", "ITAGOV", "USACVL",
     "asserted"),
    # inspectors and observers are of the body that sends them; an inspection in a country is of it
    ("UN inspectors inspected the refineries in Iran.", "090", "IGOUNO", "IRN", "asserted"),
    # a part of a country written as a name is in that country; a list's phrase is the whole list's
    ("Vietnamese forces retook a strategic village in Western Cambodia.", "192", "VNMMIL", "KHM", "asserted"),
    ("Vietnamese forces launched artillery, mortar and rocket fire against Kampuchean guerrilla camps.", "194",
     "VNMMIL", "KHM", "asserted"),
    # noun patterns with "of": the noun, then its "of" phrase
    ("Israel announced the release of 200 Palestinian prisoners.", "0841", "ISR", "PSE", "asserted"),
    ("Italy announced a suspension of air links with Serbia.", "163", "ITA", "SRB", "asserted"),
    # a possessor owns what it has, whoever it is: the kidnappers' demands are the kidnappers'
    ("The army rejected the rebels' offer of a truce.", "127", "---MIL", "---REB", "asserted"),
    # the place of a "when" clause is the event's: the people killed are of the place
    ("Two Palestinian suicide bombers killed 23 people when they blew themselves up in Tel Aviv.", "190", "PSEUAF",
     "ISRCVL", "asserted"),
    # "in defiance of": whom the act answers
    ("Thousands of people blocked streets in Hong Kong in defiance of Chinese authorities.", "144", "HKGCVL",
     "CHNGOV", "asserted"),
    ("Chechen refugees continued a hunger strike in protest of the Russian government's refusal to talk.", "1422",
     "RUSREF", "RUSGOV", "asserted"),
    # the source of the story, parsed as a second object, is no target
    ("U.S. border patrol agents sexually abused Mexican immigrants, a human rights group charged on Saturday.",
     "1821", "USACOP", "MEXREF", "asserted"),
    # an attack on a vehicle hits whom it carries
    ("A Serbian army jet shot down a helicopter carrying EC truce monitors.", "195", "SRBMIL", "IGOEUREEC",
     "asserted"),
    # who did what is condemned or investigated is its target
    ("The UN condemned the attack carried out by Hamas on Monday.", "111", "IGOUNO", "PSEREB", "asserted"),
    # supporters are of the side they support, when it is named
    ("Hamas supporters attacked Israeli troops.", "190", "PSEREB", "ISRMIL", "asserted"),
    # what is done "without" is not done; a plot is an intention
    ("Israel issued a warning without acknowledging responsibility for the bombing.", "130", "ISR", ANY, "asserted"),
    ("Rebels plotted to attack the embassy in Kabul.", "138", "AFGREB", ANY, "future"),
    # one national abroad is of their nation, not of the place
    ("Militants gunned down a Briton in the Saudi capital Riyadh.", "180", "SAUREB", "GBR", "asserted"),
    # an attempt is the act: "tried to hack into" happened
    ("North Korea has tried to hack into the computers of South Korean army officers.", "170", "PRK", "KORMIL",
     "asserted"),
    ("Iran did not try to attack Israel.", "190", "IRN", "ISR", "negated"),
    # "about to": imminent, or, negated, refused
    ("Iran is about to sign a deal with Russia.", "032", "IRN", "RUS", "future"),
    ("US officials said they were not about to free the Iraqi prisoners.", "1243", "USAGOV", "IRQ", "asserted"),
    # surrender at home is toward no one in particular; abroad, toward the country where it happens
    ("Five hundred Ugandan rebels surrendered last week in the town of Soroti.", "0874", "UGAREB", None, "asserted"),
    ("Iraqi troops surrendered in Kuwait City.", "0874", "IRQMIL", "KWT", "asserted"),
    # a phrase hung on the verb's adverb is still the verb's: "walked away from the talks"
    ("Sudanese rebels walked away from African Union peace talks.", "164", "SDNREB", "IGOAFRAFU", "asserted"),
    # the tighter of two readings: a suicide bombing outside a station, not the station blown up
    ("A woman blew herself up outside a Moscow subway station.", "1831", "RUSCVL", None, "asserted"),
]


def _code(coder, text):
    return coder.code_text(text, published=DAY)


def _describe(events) -> str:
    return "; ".join(f"{e.cameo} {e.source.code if e.source else None}->{e.target.code if e.target else None}"
                     f" {e.modality} ({e.rule})" for e in events) or "no events"


@pytest.mark.parametrize(("text", "code", "source", "target", "modality"), CASES,
                         ids=[f"{c[1]}:{c[0][:40]}" for c in CASES])
def test_root_case(coder, text, code, source, target, modality):
    events = _code(coder, text)
    for event in events:
        if event.cameo != code or event.modality != modality:
            continue
        if event.source is None or event.source.code != source:
            continue
        got = event.target.code if event.target else None
        if target is ANY or got == target:
            return
    pytest.fail(f"{text!r}: expected {code} {source}->{'*' if target is ANY else target} {modality}, "
                f"got {_describe(events)}")


# Sentences that must not produce an event of the given root: words that look like triggers.
NOT_EVENTS = [
    ("American candidates who spent millions of their own money struck out in nearly every case.", "19"),
    ("The Chinese Texans occupied a gray area under the old laws.", "19"),
    ("The ministry released a statement on Tuesday.", "08"),
    ("The Russian president took part in a televised debate.", "19"),
    ("The Australian prime minister warned that the strong dollar would hurt exporters.", "13"),
    ("The senator sought re-election in November.", "02"),
    ("The French minister cancelled a planned visit to Haiti.", "08"),
    ("The German chancellor held a news conference in Berlin.", "04"),
    ("Russia and China will not back steps toward intervention.", "05"),
    ("Police questioned the mayor about the decision.", "11"),
]


@pytest.mark.parametrize(("text", "root"), NOT_EVENTS, ids=[f"not{c[1]}:{c[0][:40]}" for c in NOT_EVENTS])
def test_not_an_event(coder, text, root):
    events = _code(coder, text)
    wrong = [e for e in events if e.cameo.startswith(root)]
    assert not wrong, f"{text!r} should code no {root} event, got {_describe(wrong)}"


def test_every_root_has_a_case():
    roots = {code[:2] for _, code, *_ in CASES}
    assert roots == {f"{n:02d}" for n in range(1, 21)}
