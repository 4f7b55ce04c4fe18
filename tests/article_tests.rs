//! Tests of the article geoparser (`borderlens::article`) and its evaluation (`borderlens::article::eval`).
//! All example sentences are written for these tests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use borderlens::article::eval::{evaluate, evaluate_dirs, load_docs, EvalDoc, EvalKind, GoldDoc};
use borderlens::article::{
    to_gold_json, Article, EntityKind, GazKind, Gazetteer, GazetteerError, Geoparser, BORDER_PAIRS,
    COUNTRY_ORDER,
};

fn parser() -> &'static Geoparser {
    Geoparser::embedded()
}

fn ids(text: &str) -> BTreeSet<String> {
    parser().annotate(text).into_iter().map(|e| e.id).collect()
}

#[track_caller]
fn assert_has(text: &str, want: &[&str]) {
    assert!(!want.is_empty(), "assert_has needs at least one id");
    let got = ids(text);
    for w in want {
        assert!(
            got.contains(*w),
            "expected `{w}` in {got:?}\n  text: {text}"
        );
    }
}

#[track_caller]
fn assert_not(text: &str, unwanted: &[&str]) {
    let got = ids(text);
    for w in unwanted {
        assert!(
            !got.contains(*w),
            "did not expect `{w}` in {got:?}\n  text: {text}"
        );
    }
}

fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("data/articles").is_dir() {
        return manifest.to_path_buf();
    }
    // compiled from another crate through #[path]: locate the repository from this file
    let f = Path::new(file!());
    f.parent()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.to_path_buf())
}

// --------------------------------------------------------------------------- gazetteer

#[test]
fn gazetteer_loads_and_covers_the_scheme() {
    let g = Gazetteer::embedded();
    let countries = ["ARM", "AZE", "GEO", "IRN", "TUR", "RUS"];
    let regions = [
        "nagorno-karabakh",
        "nakhchivan",
        "abkhazia",
        "south-ossetia",
        "adjara",
        "syunik",
        "lachin-corridor",
        "south-caucasus",
        "caspian-sea",
        "black-sea",
        "lake-sevan",
    ];
    let places = crate::common::SCHEME_PLACES;
    for c in countries {
        let e = g.get(c).unwrap_or_else(|| panic!("missing {c}"));
        assert_eq!(e.kind, GazKind::Country);
        assert!(e.capital.is_some(), "{c} has a capital");
        assert!(!e.adjectives.is_empty(), "{c} has adjectives");
        assert_eq!(e.geometry.file, "countries.geojson");
    }
    for r in regions {
        assert_eq!(
            g.get(r).unwrap_or_else(|| panic!("missing {r}")).kind,
            GazKind::Region
        );
    }
    for p in places {
        let e = g.get(p).unwrap_or_else(|| panic!("missing {p}"));
        assert_eq!(e.kind, GazKind::Place);
        assert!(e.scheme && e.emit, "{p} is part of the scheme");
        assert_eq!(e.geometry.ids, vec![p.to_string()]);
    }
    assert_eq!(
        g.get("south-caucasus").unwrap().geometry.ids,
        vec!["ARM", "AZE", "GEO"]
    );
    assert_eq!(COUNTRY_ORDER, countries);
    assert_eq!(BORDER_PAIRS.len(), 10);
    // README aliases
    for (alias, id) in [
        ("Khankendi", "stepanakert"),
        ("Shushi", "shusha"),
        ("Susa", "shusha"),
        ("Shuschi", "shusha"),
        ("Fuzuli", "fizuli"),
        ("Sukhum", "sukhumi"),
        ("Sokhumi", "sukhumi"),
        ("Aghdam", "agdam"),
        ("Iğdır", "igdir"),
    ] {
        assert!(
            g.get(id).unwrap().aliases.iter().any(|a| a == alias),
            "{alias} is an alias of {id}"
        );
        assert_has(&format!("Visitors arrived in {alias} on Monday."), &[id]);
    }
}

#[test]
fn gazetteer_errors() {
    let dup = r#"
[[entity]]
id = "x"
kind = "place"
name = "X"
[[entity]]
id = "x"
kind = "place"
name = "Y"
"#;
    assert!(matches!(
        Gazetteer::from_toml(dup),
        Err(GazetteerError::DuplicateId(_))
    ));
    let bad_ref = r#"
[[entity]]
id = "x"
kind = "place"
name = "X"
country = "NOPE"
"#;
    assert!(matches!(
        Gazetteer::from_toml(bad_ref),
        Err(GazetteerError::UnknownRef { .. })
    ));
    assert!(matches!(
        Gazetteer::from_toml("entity = 3"),
        Err(GazetteerError::Toml(_))
    ));
    // a small custom gazetteer works with its own parser
    let small = r#"
[[entity]]
id = "ARM"
kind = "country"
name = "Armenia"
adjectives = ["Armenian"]
[[entity]]
id = "goris"
kind = "place"
name = "Goris"
country = "ARM"
"#;
    let g = Gazetteer::from_toml(small).unwrap();
    let p = Geoparser::new(&g);
    let got: Vec<String> = p
        .annotate("Goris is a town in Armenia.")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(got, vec!["goris", "ARM"]);
}

// --------------------------------------------------------------------------- names, offsets

#[test]
fn offsets_point_into_the_original_text() {
    let text = "Trucks left Iğdır for Naxçıvan — then crossed the Armenia–Azerbaijan border near Şuşa’s outskirts.";
    let ents = parser().annotate(text);
    let mut seen = 0;
    for e in &ents {
        for m in &e.mentions {
            assert_eq!(&text[m.start..m.end], m.text, "{}", e.id);
            seen += 1;
        }
    }
    assert!(seen >= 4);
    let find = |id: &str| {
        ents.iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id} in {ents:?}"))
    };
    assert_eq!(find("igdir").mentions[0].text, "Iğdır");
    assert_eq!(find("nakhchivan").mentions[0].text, "Naxçıvan");
    assert_eq!(find("shusha").mentions[0].text, "Şuşa");
    assert_eq!(
        find("ARM-AZE").mentions[0].text,
        "Armenia–Azerbaijan border"
    );
    assert_eq!(find("ARM-AZE").kind, EntityKind::Border);
}

#[test]
fn possessives_case_and_word_boundaries() {
    assert_has(
        "Azerbaijan's leaders met Armenia’s prime minister.",
        &["AZE", "ARM"],
    );
    assert_has("IRAN AND TURKEY SIGN DEAL", &["IRN", "TUR"]);
    // lower-case words and longer words are not names
    assert_not(
        "We roasted a turkey and drove a van to the karsten street.",
        &["TUR", "van", "kars"],
    );
    assert_not("The Ganjavi poems were read aloud.", &["ganja"]);
}

#[test]
fn sentences_are_counted() {
    let ents = parser()
        .annotate("Flights to Baku resumed. Traders in Yerevan cheered.\n\nTbilisi hosted a fair.");
    let sent = |id: &str| ents.iter().find(|e| e.id == id).unwrap().mentions[0].sentence;
    assert_eq!(sent("baku"), 0);
    assert_eq!(sent("yerevan"), 1);
    assert_eq!(sent("tbilisi"), 2);
}

// --------------------------------------------------------------------------- borders

#[test]
fn border_compounds_with_any_dash() {
    for dash in ["-", "–", "—", "‑", "‒"] {
        assert_has(
            &format!("Shots were fired on the Armenia{dash}Azerbaijan border."),
            &["ARM-AZE"],
        );
        assert_has(
            &format!("The Azerbaijani{dash}Iranian frontier is quiet."),
            &["AZE-IRN"],
        );
    }
    assert_has(
        "The Armenian-Azerbaijani border was calm overnight.",
        &["ARM-AZE"],
    );
    assert_has(
        "Patrols on the Iran-Azerbaijan border were doubled.",
        &["AZE-IRN"],
    );
    assert_has(
        "The Georgian-Russian boundary is being demarcated.",
        &["GEO-RUS"],
    );
    assert_has(
        "A checkpoint on the Armenian–Turkish border opened.",
        &["ARM-TUR"],
    );
    assert_has(
        "Queues formed at the Azerbaijan-Georgia state border.",
        &["AZE-GEO"],
    );
}

#[test]
fn border_phrasings() {
    assert_has(
        "Talks on the border between Armenia and Iran went well.",
        &["ARM-IRN"],
    );
    assert_has(
        "Azerbaijan's western border with Armenia stayed calm in March.",
        &["ARM-AZE"],
    );
    assert_has(
        "Azerbaijan borders Russia and Georgia to the north.",
        &["AZE-RUS", "AZE-GEO"],
    );
    assert_has("Turkey shares a border with Georgia.", &["GEO-TUR"]);
    assert_has(
        "Iran's army held drills on the border with Azerbaijan.",
        &["AZE-IRN"],
    );
    assert_has(
        "Georgia reopened its border with Russia after the snow.",
        &["GEO-RUS"],
    );
    assert_has(
        "Armenia lies between Georgia and Iran. Its border with Georgia is open all year.",
        &["ARM-GEO"],
    );
    // "bordering" with no country before it in the text: nothing to pair Armenia with
    assert_not(
        "The province, bordering Armenia, is mountainous. Tabriz is its capital.",
        &BORDER_PAIRS,
    );
    assert_not(
        "Iran's navy chief vowed to protect the nation's borders at any cost.",
        &["AZE-IRN", "ARM-IRN"],
    );
    assert_not(
        "Any attempt to change borders in the region is unacceptable, Iran and Azerbaijan said.",
        &["AZE-IRN"],
    );
}

#[test]
fn borders_through_sub_regions() {
    assert_has(
        "Trade across the Nakhchivan–Iran border is growing.",
        &["AZE-IRN"],
    );
    assert_has(
        "Troops were moved to the border between Armenia and Nakhchivan.",
        &["ARM-AZE"],
    );
    assert_has(
        "Nakhchivan's short border with Turkey has one bridge.",
        &["AZE-TUR"],
    );
    assert_has("Adjara borders Turkey in the south-west.", &["GEO-TUR"]);
    assert_has(
        "Turkey shares a common frontier with Georgia's Adjara region.",
        &["GEO-TUR"],
    );
}

#[test]
fn border_coreference() {
    assert_has(
        "Armenia and Azerbaijan accused each other of shelling. Fighting continued along the border on Monday.",
        &["ARM-AZE"],
    );
    assert_has(
        "Armenian officials report Azerbaijani troops gathering close to the countries' shared border.",
        &["ARM-AZE"],
    );
    assert_has(
        "Turkey and Armenia may reopen their common border next spring.",
        &["ARM-TUR"],
    );
    assert_has(
        "Georgia and Azerbaijan are allies. The two countries' border is being demarcated.",
        &["AZE-GEO"],
    );
    assert_has(
        "Armenia and Azerbaijan each blamed the other for a cross-border raid.",
        &["ARM-AZE"],
    );
    // "the border" after a sentence naming only one country is not resolved
    assert_not(
        "Russia sent a delegation. The border was closed.",
        &["GEO-RUS", "AZE-RUS"],
    );
    // countries that do not share a border
    assert_not(
        "Russia and Armenia signed a treaty. Their common border is long.",
        &["ARM-GEO", "ARM-AZE"],
    );
}

#[test]
fn karabakh_line_of_contact() {
    assert_has(
        "Mortar rounds fell on farms near the Nagorno-Karabakh line of contact overnight.",
        &["nagorno-karabakh-line"],
    );
    assert_has(
        "Karabakh forces held the contact line.",
        &["nagorno-karabakh-line"],
    );
    assert_not(
        "Soldiers dug trenches by the contact line in Donbas.",
        &["nagorno-karabakh-line"],
    );
    assert_not(
        "Frontline areas in Karabakh were shelled.",
        &["nagorno-karabakh-line"],
    );
}

#[test]
fn breakaway_boundaries_are_not_international_borders() {
    let t = "Russia and Georgia fought a war in 2008. Russian troops moved fences along the boundary line with \
             South Ossetia. Villagers found the border had shifted again.";
    assert_not(t, &["GEO-RUS"]);
    assert_has(t, &["GEO", "RUS", "south-ossetia"]);
    assert_not(
        "The Georgia-South Ossetia border is guarded by Russian troops.",
        &["GEO-RUS"],
    );
    assert_not(
        "Abkhazia's frontier with Georgia runs along the Enguri river.",
        &["GEO-RUS"],
    );
    assert_not(
        "Russia guards the boundary between Georgia and Abkhazia, and nobody may cross it this week.",
        &["GEO-RUS"],
    );
}

// --------------------------------------------------------------------------- disambiguation

#[test]
fn iranian_azerbaijan_provinces_are_not_azerbaijan() {
    assert_not(
        "Tabriz is the capital of East Azerbaijan province.",
        &["AZE"],
    );
    assert_not(
        "Farmers in West Azerbaijan complained about the drought.",
        &["AZE"],
    );
    assert_has(
        "Tabriz is the capital of East Azerbaijan province.",
        &["tabriz"],
    );
    // the province borders two countries: the border is Iran's
    assert_has(
        "Iran's East Azerbaijan province borders Armenia and Azerbaijan.",
        &["ARM-IRN", "AZE-IRN"],
    );
}

#[test]
fn us_state_of_georgia_is_not_the_country() {
    assert_not(
        "The company moved its headquarters to Atlanta, Georgia.",
        &["GEO"],
    );
    assert_not(
        "She grew up in Georgia, U.S., and studied in Florida.",
        &["GEO"],
    );
    assert_not(
        "Voters in the U.S. state of Georgia went to the polls.",
        &["GEO"],
    );
    assert_not(
        "Georgia's Senate runoff drew voters from Atlanta and Savannah.",
        &["GEO"],
    );
    assert_has(
        "Georgia's parliament in Tbilisi passed the law.",
        &["GEO", "tbilisi"],
    );
}

#[test]
fn lachin_corridor_town_and_district() {
    let t = "Trucks drove through the Lachin corridor.";
    assert_has(t, &["lachin-corridor"]);
    assert_not(t, &["lachin"]);
    assert_has("Residents returned to the town of Lachin.", &["lachin"]);
    assert_not(
        "Mines were found in the Lachin district.",
        &["lachin", "lachin-corridor"],
    );
    assert_not(
        "Heavy fighting was reported in the Lachin direction.",
        &["lachin", "lachin-corridor"],
    );
    assert_not(
        "Troops entered the Kalbajar and Lachin districts.",
        &["lachin"],
    );
    assert_not("Shelling hit the Aghdam district.", &["agdam"]);
}

#[test]
fn capitals_metonymic_or_literal() {
    for t in [
        "Baku said the talks had failed.",
        "Yerevan insists the road must stay open.",
        "Moscow held talks with Tbilisi on Friday.",
        "Ankara and Yerevan have discussed the railway.",
    ] {
        let got = ids(t);
        assert!(
            !got.contains("baku") && !got.contains("yerevan") && !got.contains("tbilisi"),
            "{t}: {got:?}"
        );
    }
    assert_has("Baku said the talks had failed.", &["AZE"]);
    assert_has("Yerevan insists the road must stay open.", &["ARM"]);
    assert_has("Moscow held talks with Tbilisi on Friday.", &["GEO", "RUS"]);
    assert_has("Tehran warned against any change.", &["IRN"]);
    assert_has("Protests in Yerevan continued.", &["yerevan"]);
    assert_not("Protests in Yerevan continued.", &["ARM"]);
    assert_has("Flights to Baku were cancelled.", &["baku"]);
    assert_has(
        "Direct flights between Istanbul and Yerevan resumed.",
        &["yerevan"],
    );
    assert_has("YEREVAN — The government resigned on Monday.", &["yerevan"]);
    assert_has("BAKU, Sept 5 (Reuters) - Oil prices rose.", &["baku"]);
    assert_has(
        "Oil flows through the Baku-Tbilisi-Ceyhan pipeline.",
        &["baku", "tbilisi"],
    );
    assert_has("The Kremlin said it was concerned.", &["RUS"]);
    // a capital after a colon at the end of a headline says who said it
    assert_not("Peace plan stalls over roads: Baku\n\nBody.", &["baku"]);
    assert_has("Peace plan stalls over roads: Baku\n\nBody.", &["AZE"]);
    // an irregular past tense after an auxiliary
    assert_not(
        "Baku and Yerevan have fought over the region.",
        &["baku", "yerevan"],
    );
    assert_has(
        "Stepanakert said the republic would dissolve.",
        &["nagorno-karabakh"],
    );
    assert_not(
        "Stepanakert said the republic would dissolve.",
        &["stepanakert"],
    );
}

#[test]
fn ethnic_and_language_adjectives_are_not_states() {
    assert_not("Ethnic Armenians make up most of the population.", &["ARM"]);
    assert_not(
        "Azerbaijanis and Georgians live side by side.",
        &["AZE", "GEO"],
    );
    assert_not(
        "The menu is available in Armenian, Azerbaijani, Russian and English.",
        &["ARM", "AZE", "RUS"],
    );
    assert_not("Many people there speak Russian.", &["RUS"]);
    assert_not("The Armenian community of Los Angeles marched.", &["ARM"]);
    assert_has("Armenian forces withdrew.", &["ARM"]);
    assert_has("The Azerbaijani government protested.", &["AZE"]);
    assert_has("Russian peacekeepers left the region.", &["RUS"]);
    assert_has(
        "The Azerbaijani Defence Ministry issued a statement.",
        &["AZE"],
    );
    assert_has("Russian-backed troops moved the fences.", &["RUS"]);
    assert_has(
        "Iranian officials met their Turkish counterparts.",
        &["IRN", "TUR"],
    );
}

#[test]
fn media_names_and_other_traps() {
    assert_not(
        "The story was reported by Caucasian Knot and Echo of the Caucasus.",
        &["south-caucasus"],
    );
    assert_not(
        "Sputnik Armenia and Sputnik-Azerbaijan carried the report.",
        &["ARM", "AZE"],
    );
    assert_not("The Soviet Union collapsed in 1991.", &["RUS"]);
    assert_not("Tankers crossed the Persian Gulf.", &["IRN"]);
    assert_not(
        "Clashes in the North Caucasus continued.",
        &["south-caucasus"],
    );
    assert_not(
        "Hikers crossed the Caucasus mountains.",
        &["south-caucasus"],
    );
    assert_not("The Black Sea Fleet left port.", &["black-sea"]);
    assert_not("The Zangezur corridor is a transport project.", &["syunik"]);
    assert_has(
        "Outside powers keep competing for influence across the Caucuses region.",
        &["south-caucasus"],
    );
    assert_has(
        "Wedged into the South Caucasus, the republic has no coastline.",
        &["south-caucasus"],
    );
    assert_has(
        "Trade across Transcaucasia is growing.",
        &["south-caucasus"],
    );
    assert_has("The Russian Empire annexed the khanate.", &["RUS"]);
    assert_has(
        "Karabakh was part of the Azerbaijan SSR.",
        &["AZE", "nagorno-karabakh"],
    );
    assert_has(
        "Ships sailed across the Black Sea to Batumi.",
        &["black-sea", "batumi"],
    );
    assert_has("Oil fields in the Caspian Sea.", &["caspian-sea"]);
    assert_has("Fish stocks in Lake Sevan fell.", &["lake-sevan"]);
    assert_has(
        "Syunik, which Azerbaijan calls Zangezur, is Armenia's southern province.",
        &["syunik"],
    );
    assert_has(
        "Officials in the city of Nakhchivan welcomed it.",
        &["nakhchivan-city"],
    );
    assert_has(
        "The Nakhchivan Autonomous Republic is an exclave.",
        &["nakhchivan"],
    );
}

// --------------------------------------------------------------------------- articles, JSON

#[test]
fn article_layouts() {
    let a = Article::parse("A title here\n2024-01-02\nborderlens sample\n\nBody text. More.\n");
    assert_eq!(a.title.as_deref(), Some("A title here"));
    assert_eq!(a.date.as_deref(), Some("2024-01-02"));
    assert_eq!(a.body, "Body text. More.");
    let b =
        Article::parse("Tuesday 4 June 2024 - 17:05\n\nSome headline\n\nStory Code : 1\nBody.\n");
    assert_eq!(b.title.as_deref(), Some("Some headline"));
    assert_eq!(b.date.as_deref(), Some("Tuesday 4 June 2024 - 17:05"));
    assert!(b.body.ends_with("Body."));
    let c = Article::parse("# Markdown title\n\nDate: 2023-03-01\n\nThe body.");
    assert_eq!(c.title.as_deref(), Some("Markdown title"));
    assert_eq!(c.date.as_deref(), Some("2023-03-01"));
    assert_eq!(c.body, "The body.");
    let d = Article::parse("Just a paragraph of text about Baku. It has two sentences.");
    assert_eq!(d.title, None);
    assert!(d.body.starts_with("Just a paragraph"));
    let e = Article::parse("[untitled]\n2022-11 (approx.)\nhttps://example.org/x\n\nBody.");
    assert_eq!(e.title, None);
    assert_eq!(e.body, "Body.");
    // the source line is the outlet: a URL's host, or the line itself
    assert_eq!(e.source.as_deref(), Some("example.org"));
    assert_eq!(a.source.as_deref(), Some("borderlens sample"));
    let f = Article::parse("---\ntitle: T\nsource: Harbour Radio\n---\nBody.");
    assert_eq!(f.source.as_deref(), Some("Harbour Radio"));
    assert_eq!(a.annotation_text(), "A title here\n\nBody text. More.");
    assert_eq!(&a.annotation_text()[a.body_offset()..], a.body);
}

#[test]
fn gold_json_shape() {
    let text = "Russia, Georgia and Azerbaijan met in Baku. Nagorno-Karabakh and Abkhazia were discussed, as was \
                the Armenia-Azerbaijan border. Engineers from Sumgait and Ganja attended.";
    let ents = parser().annotate(text);
    let v = to_gold_json("x/001.txt", &ents);
    assert_eq!(v["path"], "x/001.txt");
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        list("regions"),
        vec!["ARM", "AZE", "GEO", "RUS", "abkhazia", "nagorno-karabakh"]
    );
    assert_eq!(list("borders"), vec!["ARM-AZE"]);
    // map-only places (sumgait) are not part of the scheme
    assert_eq!(list("places"), vec!["baku", "ganja"]);
    assert!(
        ents.iter().any(|e| e.id == "sumgait"),
        "map-only places stay in the entities"
    );
}

// --------------------------------------------------------------------------- evaluation

#[test]
fn eval_report_shape() {
    let gold: GoldDoc = serde_json::from_str(
        r#"{"regions": ["ARM", "nagorno-karabakh"], "borders": ["ARM-AZE"], "places": ["goris"], "notes": "test"}"#,
    )
    .unwrap();
    let docs = vec![EvalDoc {
        name: "t1".into(),
        text: "Armenia reported shelling near Goris. Azerbaijan denied it.".into(),
        gold,
    }];
    let rep = evaluate(parser(), Gazetteer::embedded(), &docs);
    assert_eq!(rep.docs, 1);
    let c = rep.kind(EvalKind::Country);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 0));
    assert_eq!(rep.kind(EvalKind::Region).fn_, 1);
    assert_eq!(rep.kind(EvalKind::Border).fn_, 1);
    assert_eq!(rep.kind(EvalKind::Place).tp, 1);
    assert!((rep.kind(EvalKind::Place).f1() - 1.0).abs() < 1e-9);
    assert!(rep
        .misses
        .iter()
        .any(|m| m.id == "nagorno-karabakh" && m.kind == EvalKind::Region));
    let fh = rep
        .false_hits
        .iter()
        .find(|h| h.id == "AZE")
        .expect("AZE false hit");
    assert_eq!(fh.sentence, "Azerbaijan denied it.");
    assert_eq!(fh.mention, "Azerbaijan");
    let s = rep.to_string();
    for needle in [
        "country",
        "region",
        "border",
        "place",
        "misses (2)",
        "false hits (1)",
        "AZE",
    ] {
        assert!(s.contains(needle), "report lacks {needle}:\n{s}");
    }
}

#[test]
fn eval_thresholds_name_the_kinds_below_them() {
    use borderlens::cli::parse_min_f1;
    let gold: GoldDoc =
        serde_json::from_str(r#"{"regions": ["ARM"], "borders": ["ARM-AZE"]}"#).unwrap();
    let docs = vec![EvalDoc {
        name: "t1".into(),
        text: "Armenia held a vote on Sunday.".into(),
        gold,
    }];
    let rep = evaluate(parser(), Gazetteer::embedded(), &docs);
    // country F1 is 1, border F1 is 0 (missed)
    assert!(rep
        .below(&[parse_min_f1("country=0.95").unwrap()])
        .is_empty());
    let below = rep.below(&[
        parse_min_f1("country=0.95").unwrap(),
        parse_min_f1("border=0.9").unwrap(),
    ]);
    assert_eq!(below.len(), 1, "{below:?}");
    assert!(below[0].starts_with("border F1 0.000"), "{below:?}");
    assert!(!rep.below(&[parse_min_f1("all=0.9").unwrap()]).is_empty());
    for bad in ["bord=0.9", "border", "border=1.5", "border=x"] {
        assert!(parse_min_f1(bad).is_err(), "{bad}");
    }
}

fn check_dir(gold: &Path, arts: &Path, min_f1: f64) {
    let rep = evaluate_dirs(parser(), Gazetteer::embedded(), gold, arts).expect("eval");
    println!("{rep}");
    for k in EvalKind::ALL {
        let c = rep.kind(k);
        assert!(
            c.f1() >= min_f1,
            "{} F1 {:.3} < {min_f1}\n{rep}",
            k.name(),
            c.f1()
        );
    }
}

#[test]
fn sample_articles_meet_thresholds() {
    let root = repo_root().join("data/articles");
    let docs = load_docs(&root.join("gold"), &root).expect("sample articles");
    assert!(docs.len() >= 8, "at least 8 sample articles");
    assert!(
        root.join("001-iran-azerbaijan-border.txt").is_file(),
        "demo article"
    );
    check_dir(&root.join("gold"), &root, 0.95);
}

#[test]
fn sample_gold_files_are_well_formed() {
    let root = repo_root().join("data/articles/gold");
    let g = Gazetteer::embedded();
    for e in std::fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let list = |k: &str| -> Vec<String> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        };
        let regions = list("regions");
        // countries first in the fixed order, then sub-regions sorted
        let (cs, rs): (Vec<String>, Vec<String>) = regions
            .iter()
            .cloned()
            .partition(|r| COUNTRY_ORDER.contains(&r.as_str()));
        assert_eq!(regions, [cs.clone(), rs.clone()].concat(), "{p:?}");
        let order: Vec<usize> = cs
            .iter()
            .map(|c| COUNTRY_ORDER.iter().position(|x| x == c).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{p:?} country order");
        assert!(rs.windows(2).all(|w| w[0] < w[1]), "{p:?} regions sorted");
        for k in ["borders", "places"] {
            let l = list(k);
            assert!(l.windows(2).all(|w| w[0] < w[1]), "{p:?} {k} sorted");
        }
        for b in list("borders") {
            assert!(
                BORDER_PAIRS.contains(&b.as_str()) || b == "nagorno-karabakh-line",
                "{p:?}: {b}"
            );
        }
        for id in regions.iter().chain(list("places").iter()) {
            assert!(g.get(id).is_some_and(|e| e.scheme), "{p:?}: {id}");
        }
        // open-world fields, where present: sorted GeoNames ids of settlements.tsv; border_near
        // ids are among the settlements and its keys among the borders
        let world = borderlens::article::World::embedded();
        if let Some(s) = v.get("settlements") {
            let ids: Vec<u64> = s
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            assert!(
                ids.windows(2).all(|w| w[0] < w[1]),
                "{p:?} settlements sorted"
            );
            for id in &ids {
                assert!(
                    world.settlement(*id as u32).is_some(),
                    "{p:?}: settlement {id}"
                );
            }
            for (b, near) in v["border_near"].as_object().unwrap() {
                assert!(
                    list("borders").contains(b),
                    "{p:?}: border_near {b} not in borders"
                );
                for id in near.as_array().unwrap() {
                    assert!(ids.contains(&id.as_u64().unwrap()), "{p:?}: {b} {id}");
                }
            }
        }
    }
}

#[test]
fn leaders_and_subject_verbs_are_metonyms() {
    assert_has("Putin said the war would continue.", &["RUS"]);
    assert_has(
        "Erdoğan and Aliyev inaugurated the pipeline.",
        &["TUR", "AZE"],
    );
    assert_not("Visitors toured the Heydar Aliyev Center.", &["AZE"]);
    assert_has(
        "Moscow has deployed more troops to Gyumri.",
        &["RUS", "gyumri"],
    );
    assert_has("After the vote, Tbilisi recalled its ambassador.", &["GEO"]);
    assert_not(
        "After the vote, Tbilisi recalled its ambassador.",
        &["tbilisi"],
    );
    assert_has("Baku hosted the climate summit.", &["baku"]);
    assert_has("Yerevan has been hit by a heatwave.", &["yerevan"]);
    assert_has(
        "Tbilisi's Rustaveli Avenue filled with protesters.",
        &["tbilisi"],
    );
    assert_not("Baku's position on the treaty has hardened.", &["baku"]);
    assert_has(
        "The Azerbaijani-Armenian peace treaty was initialled.",
        &["ARM", "AZE"],
    );
}

#[test]
fn other_countries_borders_are_not_ours() {
    assert_not(
        "Armenia and Turkey held talks. Turkey closed its border with Syria.",
        &["ARM-TUR"],
    );
    assert_not(
        "Georgia and Russia signed a deal. Russia's border with Ukraine is mined.",
        &["GEO-RUS"],
    );
    assert_not(
        "Turkey and Armenia held talks. The Turkey-Syria border is long.",
        &["ARM-TUR"],
    );
    assert_has(
        "Azerbaijan closed the only road linking Armenia to Karabakh.",
        &["lachin-corridor"],
    );
    assert_has(
        "Work on border demarcation between Armenia and Azerbaijan resumed.",
        &["ARM-AZE"],
    );
    assert_has(
        "Armenia's borders with Turkey and Azerbaijan remain closed.",
        &["ARM-TUR", "ARM-AZE"],
    );
}

#[test]
fn odd_input_does_not_panic() {
    let long_word = "x".repeat(100_000);
    let samples = [
        String::new(),
        "\n\n\n".to_string(),
        "Baku\u{301} and Yerevan\u{200b} met. 🇦🇲🇦🇿 Tbilisi\u{ad}!".to_string(),
        "阿塞拜疆 Azerbaijan — Армения Armenia — ארמניה Georgia…".to_string(),
        format!("{long_word} Armenia {long_word}"),
        "border border border with with between and and".to_string(),
        "Armenia's'".to_string(),
        "The border".to_string(),
        "-border-".to_string(),
        "ARMENIA—AZERBAIJAN BORDER".to_string(),
    ];
    for s in &samples {
        for e in parser().annotate(s) {
            for m in &e.mentions {
                assert_eq!(&s[m.start..m.end], m.text);
            }
        }
        let o = parser().annotate_open(s);
        for m in &o.located.settlements {
            assert!(s.get(m.start..m.end).is_some(), "{s:?} {m:?}");
        }
    }
    // folded text shorter than the original: offsets still land on the name
    let t = "Shelling — “near” Sotk’s edge, on the border with Azerbaijan.";
    let o = parser().annotate_open(t);
    let m = o.located.settlements.first().expect("Sotk");
    assert_eq!(&t[m.start..m.end], "Sotk");
    assert_has("ARMENIA—AZERBAIJAN BORDER", &["ARM-AZE"]);
}

#[test]
fn north_caucasus_and_us_state_context() {
    let t = "Floods hit Dagestan. Officials said the situation in the Caucasus was under control.";
    assert_not(t, &["south-caucasus"]);
    assert_has(
        "Investors are returning to the Caucasus.",
        &["south-caucasus"],
    );
    assert_not(
        "Lawmakers from California and Georgia urged Congress to help refugees from Nagorno-Karabakh.",
        &["GEO"],
    );
    assert_not(
        "The Armenian National Committee of America lobbied Congress.",
        &["ARM"],
    );
    assert_has(
        "Turkey's eastern borders, with Iran, Armenia and Georgia, were quiet.",
        &["ARM-TUR", "GEO-TUR"],
    );
}

#[test]
fn title_starting_with_a_year() {
    let a = Article::parse("2020 war: Armenia remembers\n2024-09-27\nborderlens sample\n\nBody.");
    assert_eq!(a.title.as_deref(), Some("2020 war: Armenia remembers"));
    assert_eq!(a.date.as_deref(), Some("2024-09-27"));
    assert_eq!(a.body, "Body.");
}

#[test]
fn long_unpunctuated_text_is_linear() {
    // one "sentence" with many countries and border words: the rules look back over a bounded
    // window of events, so their work doubles (not quadruples) when the text doubles
    let unit = "Armenia and Azerbaijan border Georgia Texas border with Iran the border Baku said ";
    let work = |n: usize| parser().border_rule_work(&unit.repeat(n));
    let (w1, w2) = (work(2_000), work(4_000));
    assert!(w1 > 0, "the border rules ran");
    assert!(
        w2 * 10 <= w1 * 21,
        "work grew {:.2}x for 2x text ({w1} -> {w2})",
        w2 as f64 / w1 as f64
    );
    let ents = parser().annotate(&unit.repeat(20_000)); // 1.6 MB
    assert!(ents.iter().any(|e| e.id == "ARM"));
}

#[test]
fn markdown_front_matter() {
    let a = Article::parse(
        "---\ntitle: \"Talks in Baku\"\ndate: 2024-01-02\n---\n\nThe body about Baku.\n",
    );
    assert_eq!(a.title.as_deref(), Some("Talks in Baku"));
    assert_eq!(a.date.as_deref(), Some("2024-01-02"));
    assert_eq!(a.body, "The body about Baku.");
}

#[test]
fn a_longer_pattern_running_into_a_word_falls_back_to_a_shorter_one() {
    assert_has("The Black Sea coastline is eroding.", &["black-sea"]);
    assert_has(
        "Drilling off the Caspian coastline resumed.",
        &["caspian-sea"],
    );
    assert_not(
        "It was a borderline case for Armenia and Azerbaijan.",
        &["ARM-AZE"],
    );
}

// --------------------------------------------------------------------------- open world

fn open(text: &str) -> borderlens::article::OpenAnnotation {
    parser().annotate_open(text)
}

fn settlement_ids(text: &str) -> Vec<u32> {
    open(text).located.settlement_ids()
}

fn near(text: &str, border: &str) -> Vec<u32> {
    open(text)
        .located
        .border_near
        .get(border)
        .cloned()
        .unwrap_or_default()
}

const SOTK: u32 = 616041;
const BERD: u32 = 616802;
const SISIAN: u32 = 174763;
const ASTARA_AZE: u32 = 148445;
const ASTARA_IRN: u32 = 142676;
const GORIS: u32 = 174895;
const KORNIDZOR: u32 = 174840;
const KAPAN: u32 = 174875;
const KALBAJAR: u32 = 586268;
const BAKU: u32 = 587084;

/// Distance (km) from a point to a (multi)line of `data/borders.geojson`, equirectangular.
fn km_to_line(lon: f64, lat: f64, lines: &[Vec<[f64; 2]>]) -> f64 {
    let kx = 111.32 * lat.to_radians().cos();
    let ky = 110.57;
    let p = (lon * kx, lat * ky);
    let mut best = f64::INFINITY;
    for l in lines {
        for w in l.windows(2) {
            let (a, b) = ((w[0][0] * kx, w[0][1] * ky), (w[1][0] * kx, w[1][1] * ky));
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len2 = dx * dx + dy * dy;
            let t = if len2 == 0.0 {
                0.0
            } else {
                (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
            };
            let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
            best = best.min(((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt());
        }
    }
    best
}

#[test]
fn crossings_lie_on_their_borders() {
    let src = std::fs::read_to_string(repo_root().join("data/borders.geojson")).unwrap();
    let fc: serde_json::Value = serde_json::from_str(&src).unwrap();
    let world = borderlens::article::World::embedded();
    assert!(world.crossings().len() >= 15);
    let point = |p: &serde_json::Value| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()];
    for c in world.crossings() {
        let f = fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == c.border.as_str())
            .unwrap_or_else(|| panic!("{}: no border {}", c.id, c.border));
        let g = &f["geometry"];
        let coords = g["coordinates"].as_array().unwrap();
        let lines: Vec<Vec<[f64; 2]>> = match g["type"].as_str() {
            Some("MultiLineString") => coords
                .iter()
                .map(|l| l.as_array().unwrap().iter().map(point).collect())
                .collect(),
            Some("LineString") => vec![coords.iter().map(point).collect()],
            other => panic!("{}: unexpected geometry {other:?}", c.border),
        };
        let d = km_to_line(c.lon, c.lat, &lines);
        assert!(d <= 5.0, "{} lies {d:.1} km from {}", c.id, c.border);
        assert!(!c.source.is_empty(), "{} has a source", c.id);
    }
}

#[test]
fn settlements_need_literal_use_and_cues() {
    // a village at a border, in co-reference with it
    let t = "Shelling damaged houses near Sotk on the border with Azerbaijan overnight.";
    assert!(settlement_ids(t).contains(&SOTK));
    assert_eq!(near(t, "ARM-AZE"), vec![SOTK]);
    // a common word needs a settlement cue; a person is not a place
    assert!(!settlement_ids("Berd said nothing about the plan.").contains(&BERD));
    assert!(settlement_ids("A clinic opened in the town of Berd.").contains(&BERD));
    assert!(!settlement_ids("The painter Ruben Sisian exhibits in Paris.").contains(&SISIAN));
    assert!(settlement_ids("He was born in the town of Sisian.").contains(&SISIAN));
    // a metonymic capital is not a settlement; a literal one is
    assert!(!settlement_ids("Baku said the talks had failed.").contains(&BAKU));
    assert!(settlement_ids("Protests continued in Baku.").contains(&BAKU));
    // a district is not the town of the same name
    let k = open("Mines were cleared in Kalbajar district last year.");
    assert!(!k.located.settlement_ids().contains(&KALBAJAR));
    assert!(k
        .located
        .districts
        .iter()
        .any(|d| d.province == "aze-kalbacar"));
    let tav = open("Farmers in Tavush complained about the drought.");
    assert!(tav
        .located
        .districts
        .iter()
        .any(|d| d.province == "arm-tavush"));
}

#[test]
fn same_named_places_follow_the_country_named_beside_them() {
    let ids = settlement_ids(
        "Trains will link the Azerbaijani town of Astara with Astara in Iran next year.",
    );
    assert!(
        ids.contains(&ASTARA_AZE) && ids.contains(&ASTARA_IRN),
        "{ids:?}"
    );
    let ids = settlement_ids("A fair opened in Astara in Iran's Gilan province.");
    assert_eq!(ids, vec![ASTARA_IRN]);
}

#[test]
fn road_ends_and_datelines_do_not_localise_a_border() {
    let t = "The road from Goris to Kornidzor runs along the border with Azerbaijan.";
    let n = near(t, "ARM-AZE");
    assert!(!n.contains(&GORIS) && !n.contains(&KORNIDZOR), "{n:?}");
    let t = "KAPAN — Armenia and Azerbaijan traded fire on their border near Sotk.";
    let n = near(t, "ARM-AZE");
    assert!(!n.contains(&KAPAN) && n.contains(&SOTK), "{n:?}");
}

#[test]
fn crossings_localise_their_border_for_the_map() {
    let o = open("Lorries waited at the Upper Lars checkpoint on the Georgian-Russian border.");
    assert!(o.located.crossings.iter().any(|c| c.id == "upper-lars"));
    assert!(
        o.located.border_near.is_empty(),
        "Upper Lars has no settlement"
    );
    let s = o
        .located
        .stretches
        .iter()
        .find(|s| s.border == "GEO-RUS")
        .expect("a GEO-RUS stretch");
    assert!(s
        .near
        .iter()
        .any(|p| (p.lon - 44.63).abs() < 0.05 && p.settlement.is_none()));
    assert_eq!(s.radius_km, borderlens::article::STRETCH_RADIUS_KM);
    // a crossing named after a settlement counts through it
    let t =
        "Aid lorries crossed at the Margara checkpoint on the border between Armenia and Turkey.";
    assert_eq!(near(t, "ARM-TUR"), vec![613075]);
}

#[test]
fn a_settlement_on_one_border_resolves_a_bare_border_word() {
    let o = open("Villagers in Chinari heard gunfire from the border overnight.");
    assert!(
        o.entities.iter().any(|e| e.id == "ARM-AZE"),
        "{:?}",
        o.entities
    );
    assert_eq!(o.located.border_near.get("ARM-AZE"), Some(&vec![616780]));
    // without the village, nothing says which border
    let o = open("Villagers heard gunfire from the border overnight.");
    assert!(!o.entities.iter().any(|e| e.kind == EntityKind::Border));
}

#[test]
fn open_gold_json_has_sorted_settlements_and_border_near() {
    let o = open(
        "Shelling damaged houses in Sotk and Tegh near the border between Armenia and Azerbaijan.",
    );
    let v = borderlens::article::open_gold_json("x.txt", &o);
    let s: Vec<u64> = v["settlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    assert_eq!(s, vec![174743, 616041]);
    assert_eq!(
        v["border_near"]["ARM-AZE"],
        serde_json::json!([174743, 616041])
    );
}

#[test]
fn eval_scores_settlements_only_where_the_gold_has_them() {
    let doc = |gold: &str| EvalDoc {
        name: "t".into(),
        text: "Shelling damaged houses near Sotk on the border between Armenia and Azerbaijan."
            .into(),
        gold: serde_json::from_str(gold).unwrap(),
    };
    let without = doc(r#"{"regions": ["ARM", "AZE"], "borders": ["ARM-AZE"]}"#);
    let rep = evaluate(parser(), Gazetteer::embedded(), &[without]);
    assert_eq!(rep.kind(EvalKind::Settlement), Default::default());
    assert_eq!(rep.border_near.gold, 0);
    let with = doc(
        r#"{"regions": ["ARM", "AZE"], "borders": ["ARM-AZE"], "settlements": [616041, 174743],
            "border_near": {"ARM-AZE": [616041], "ARM-TUR": [613075]}}"#,
    );
    let rep = evaluate(parser(), Gazetteer::embedded(), &[with]);
    let c = rep.kind(EvalKind::Settlement);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 0, 1));
    assert_eq!((rep.border_near.gold, rep.border_near.right), (2, 1));
}

#[test]
fn article_data_stays_small() {
    use borderlens::article::world::{
        EMBEDDED_CROSSINGS, EMBEDDED_DISTRICTS, EMBEDDED_SETTLEMENTS,
    };
    let bytes = EMBEDDED_SETTLEMENTS.len()
        + EMBEDDED_CROSSINGS.len()
        + EMBEDDED_DISTRICTS.len()
        + borderlens::article::EMBEDDED_GAZETTEER.len()
        + borderlens::article::EMBEDDED_LEXICON.len();
    // the binary's embedded data must stay under 10 MB; the article module's share under 2 MB
    assert!(bytes < 2_000_000, "{bytes} bytes");
}

#[test]
fn districts_name_polygons_of_the_provinces_layer() {
    let src = std::fs::read_to_string(repo_root().join("data/provinces.geojson")).unwrap();
    let fc: serde_json::Value = serde_json::from_str(&src).unwrap();
    let ids: BTreeSet<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["id"].as_str())
        .collect();
    let districts = borderlens::article::World::embedded().districts();
    assert!(districts.len() >= 80);
    for d in districts {
        assert!(
            ids.contains(d.province.as_str()),
            "{} is not in provinces.geojson",
            d.province
        );
        for b in &d.bare {
            assert!(
                d.names.contains(b),
                "{}: bare name {b} is not one of its names",
                d.province
            );
        }
    }
}
