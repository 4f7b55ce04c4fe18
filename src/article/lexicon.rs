//! Closed word lists used by the context rules (all lower-case ASCII, compared case-insensitively).

/// Nouns that make a national adjective a reference to the state ("Armenian forces").
pub const STATE_NOUNS: &[&str] = &[
    "government", "governments", "authorities", "authority", "official", "officials", "forces", "force", "troops",
    "army", "armies", "military", "militaries", "soldiers", "soldier", "servicemen", "serviceman", "side", "sides",
    "president", "presidency", "premier", "pm", "minister", "ministers", "ministry", "ministries", "mod", "mfa",
    "parliament", "parliamentarians", "lawmakers", "mps", "legislature", "diplomat", "diplomats", "diplomacy",
    "envoy", "envoys", "ambassador", "ambassadors", "embassy", "consulate", "delegation", "delegations",
    "leadership", "leader", "leaders", "state", "regime", "administration", "intelligence", "police", "navy",
    "border", "borders", "frontier", "guards", "guard", "positions", "position", "territory", "territories", "soil",
    "capital", "counterpart", "counterparts", "peacekeepers", "peacekeeper", "contingent", "units", "unit",
    "outposts", "outpost", "checkpoint", "checkpoints", "customs", "passport", "passports", "citizens", "citizen",
    "nationals", "citizenship", "economy", "budget", "ombudsman", "ombudswoman", "ombudsperson", "prosecutor",
    "prosecutors", "court", "courts", "judiciary", "empire", "ssr", "republic", "federation", "province",
    "provinces", "city", "cities", "town", "towns", "village", "villages", "settlements", "airspace", "waters",
    "coast", "oblast", "constitution", "sovereignty", "control", "rule", "governance", "jurisdiction",
    "occupation", "aggression", "offensive", "attack", "attacks", "shelling", "strikes", "artillery", "drones",
    "jets", "warplanes", "aircraft", "railway", "railways", "railroad", "exclave", "enclave", "interests",
    "officers", "generals", "general", "commander", "commanders", "command", "staff", "media", "parliamentary",
    "cabinet", "kremlin", "statement", "sanctions",
    "spokesman", "spokeswoman", "spokesperson", "premier", "chancellor", "speaker", "negotiators", "negotiator",
    "representative", "representatives", "mission", "navy", "coastguard", "bank", "ministerial", "annexation",
    "invasion", "incursion", "withdrawal", "counteroffensive", "sector", "posts", "post",
];

/// Words between a national adjective and its head noun that do not decide anything
/// ("Armenian armed forces", "Azerbaijani Foreign Ministry").
pub const ADJ_SKIP: &[&str] = &[
    "armed", "foreign", "defence", "defense", "state", "border", "peacekeeping", "special", "former", "military",
    "top", "senior", "deputy", "acting", "first", "prime", "interior", "security", "national", "central",
    "de", "facto", "and", "emergency", "economy", "economic", "justice", "finance", "energy", "presidential",
    "government", "ground", "air", "naval", "regular", "elite", "official", "chief", "new", "then", "current",
    "foreign-policy", "state-run", "state-owned", "public", "intelligence", "federal",
];

/// Nouns that make a national adjective ethnic / cultural / linguistic, not the state.
pub const ETHNIC_NOUNS: &[&str] = &[
    "population", "populations", "community", "communities", "people", "peoples", "diaspora", "descent",
    "origin", "origins", "heritage", "ethnicity", "minority", "minorities", "refugees", "refugee", "families",
    "family", "residents", "resident", "civilians", "language", "languages", "speakers", "speaking", "speaker",
    "culture", "cultural", "church", "churches", "genocide", "name", "names", "alphabet", "script", "music",
    "cuisine", "food", "wine", "brandy", "poet", "writer", "singer", "artist", "americans", "american",
    "christians", "christian", "muslims", "muslim", "orthodox", "apostolic", "monastery", "monasteries",
    "woman", "man", "women", "men", "children", "child", "girl", "boy", "girls", "boys", "translation",
    "version", "dialect", "literature", "identity", "nationalist", "nationalists", "ancestry", "roots",
    "blood", "majority", "inhabitants", "villagers", "living", "lives", "homes", "houses", "schools", "school",
    "teacher", "teachers", "students", "student", "subtitles", "texts", "text", "words", "word", "surname",
    "surnames",
];

/// Second halves of compounds that make a national adjective a state reference ("Russian-backed").
pub const STATE_SUFFIXES: &[&str] = &[
    "backed", "occupied", "controlled", "led", "brokered", "mediated", "made", "built", "supplied", "funded",
    "sponsored", "held", "annexed", "installed", "allied", "registered", "flagged", "owned", "run", "operated",
    "administered", "imposed", "guarded", "manned", "trained", "armed", "supported", "aligned", "friendly",
    "proposed", "drafted", "announced",
];

/// Head nouns of relation compounds ("Armenian-Azerbaijani talks", "Baku-Yerevan peace").
pub const RELATION_NOUNS: &[&str] = &[
    "relations", "relationship", "relationships", "talks", "negotiations", "peace", "conflict", "conflicts", "war",
    "wars", "border", "borders", "frontier", "boundary", "normalization", "normalisation", "treaty", "agreement",
    "agreements", "deal", "summit", "commission", "dialogue", "ties", "cooperation", "rapprochement", "tensions",
    "hostilities", "clashes", "fighting", "ceasefire", "cease-fire", "process", "meeting", "meetings", "dispute",
    "disputes", "standoff", "détente", "detente", "alliance", "partnership", "accord", "accords", "track",
    "negotiation", "reconciliation", "declaration", "memorandum", "contacts", "rivalry", "escalation",
    "friendship", "axis", "format", "platform", "mediation", "deal", "pact", "trade", "delimitation",
    "demarcation",
];

/// Nouns after a possessive capital that keep it literal ("Baku's streets").
pub const CITY_NOUNS: &[&str] = &[
    "streets", "street", "airport", "residents", "mayor", "old", "city", "centre", "center", "downtown", "metro",
    "square", "suburbs", "suburb", "outskirts", "population", "districts", "district", "hotels", "hotel",
    "neighbourhood", "neighbourhoods", "neighborhood", "neighborhoods", "skyline", "boulevard", "avenue",
    "seafront", "port", "university", "museum", "opera", "stadium", "restaurants", "cafes", "inhabitants",
    "municipality", "central", "main", "southern", "northern", "eastern", "western", "historic", "air",
    "traffic", "buildings", "building", "bay", "waterfront", "hospitals", "hospital", "schools", "parks",
    "park", "cathedral", "mosque", "markets", "market", "bazaar", "outskirt", "zoo", "railway", "station",
    "international", "citizens", "people", "crowds", "protesters", "protestors", "demonstrators", "cafe",
    "nightlife", "architecture", "fortress", "walls",
];

/// Verbs after a capital that make it a metonym for its government ("Baku said").
pub const METONYM_VERBS: &[&str] = &[
    "say", "says", "said", "claim", "claims", "claimed", "insist", "insists", "insisted", "warn", "warns", "warned",
    "accuse", "accuses", "accused", "deny", "denies", "denied", "reject", "rejects", "rejected", "announce",
    "announces", "announced", "demand", "demands", "demanded", "respond", "responds", "responded", "condemn",
    "condemns", "condemned", "argue", "argues", "argued", "want", "wants", "wanted", "refuse", "refuses",
    "refused", "agree", "agrees", "agreed", "threaten", "threatens", "threatened", "urge", "urges", "urged",
    "protest", "protests", "protested", "hope", "hopes", "hoped", "believe", "believes", "believed", "view",
    "views", "viewed", "consider", "considers", "considered", "see", "sees", "saw", "seek", "seeks", "sought",
    "recognize", "recognizes", "recognized", "recognise", "recognises", "recognised", "welcome", "welcomes",
    "welcomed", "blame", "blames", "blamed", "dismiss", "dismisses", "dismissed", "state", "states", "stated",
    "expect", "expects", "expected", "fear", "fears", "feared", "maintain", "maintains", "maintained",
    "regard", "regards", "regarded", "reiterate", "reiterates", "reiterated", "retaliate", "retaliates",
    "retaliated", "launch", "launches", "launched", "sign", "signs", "signed", "propose", "proposes",
    "proposed", "offer", "offers", "offered", "oppose", "opposes", "opposed", "support", "supports",
    "supported", "back", "backs", "backed", "send", "sends", "sent", "summon", "summons", "summoned",
    "recall", "recalls", "recalled", "decide", "decides", "decided", "plan", "plans", "planned", "intend",
    "intends", "intended", "vow", "vows", "vowed", "pledge", "pledges", "pledged", "promise", "promises",
    "promised", "acknowledge", "acknowledges", "acknowledged", "confirm", "confirms", "confirmed", "assert",
    "asserts", "asserted", "allege", "alleges", "alleged", "charge", "charges", "charged", "object", "objects",
    "objected", "tell", "tells", "told", "ask", "asks", "asked", "suspect", "suspects", "suspected", "accept",
    "accepts", "accepted", "responded", "criticize", "criticizes", "criticized", "criticise", "criticises",
    "criticised", "insisting", "called", "calls", "pushed", "pushes", "pressed", "presses", "signaled",
    "signalled", "signals", "appears", "seems", "remains", "continues", "continued", "refused", "sees",
    "prefers", "preferred", "reacted", "reacts", "complained", "complains", "declined", "declines", "vetoed",
    "boycotted", "discuss", "discussed", "discusses", "negotiate", "negotiated", "negotiates", "talked",
    "met", "meets", "exchanged", "traded", "approved", "adopted", "ratified", "hailed", "praised", "expressed",
    "voiced", "issued", "conveyed", "struck", "allowed", "barred", "banned", "suspended", "resumed", "restored",
    "imposed", "lifted", "appealed", "requested", "notified", "informed", "replied", "answered", "countered",
    "hosts", "hosted", "has", "have", "had", "is", "was", "will", "would", "could", "can", "may",
    "might", "must", "should", "did", "does", "also", "cannot", "won", "wouldn",
];

/// Of [`METONYM_VERBS`], the ones that need a following verb/adjective to decide.
pub const AUX_WORDS: &[&str] = &[
    "has", "have", "had", "is", "was", "will", "would", "could", "can", "may", "might", "must", "should", "did",
    "does", "also", "cannot", "won", "wouldn", "hosts", "hosted", "appears", "seems", "remains",
    "continues", "continued", "state", "back", "plan", "plans", "sees", "see", "view", "views",
];

/// Predicates after "X is/was" that make a capital a metonym ("Baku is ready to").
pub const METONYM_PREDICATES: &[&str] = &[
    "ready", "willing", "unwilling", "unlikely", "likely", "determined", "prepared", "seeking", "trying",
    "pushing", "demanding", "insisting", "expected", "concerned", "worried", "open", "keen", "reluctant",
    "eager", "committed", "interested", "not", "long", "never", "still", "repeatedly", "already", "now",
    "yet", "firmly", "strongly", "reportedly", "officially", "previously", "recently", "been", "be",
    "accusing", "refusing", "planning", "considering", "blaming", "calling", "urging", "opposed", "against",
    "clearly", "apparently", "to",
];

/// Words before a capital that make it literal (a location).
pub const LITERAL_PREPS: &[&str] = &[
    "in", "at", "near", "outside", "into", "via", "across", "around", "through", "toward", "towards",
    "downtown", "central", "visit", "visited", "visiting", "visits", "reached", "reach", "arrived", "arrive",
    "entered", "leaving", "left", "flights", "flight", "flew", "fly", "flying", "inside", "within", "beyond",
    "outskirts", "streets", "suburbs", "suburban", "mayor", "old", "downtown", "occupy", "occupied", "shelled",
    "shelling", "bombed", "captured", "recaptured", "liberated", "city", "of", "over", "above", "returned",
    "moved", "relocated", "travel", "travelled", "traveled", "traveling", "travelling", "back", "greater",
    "northern", "southern", "eastern", "western", "residents", "hotel", "base", "based", "native", "born",
    "landed", "headed", "heading", "bound", "route", "past", "beneath", "under", "along", "off", "upon",
];

/// Nouns before "to/from X" that make a capital a metonym ("a message to Baku", "signals from Ankara").
pub const COMM_NOUNS: &[&str] = &[
    "message", "messages", "warning", "warnings", "signal", "signals", "letter", "letters", "appeal", "appeals",
    "response", "reply", "proposal", "proposals", "note", "ultimatum", "demands", "demand", "concessions",
    "ambassador", "envoy", "pressure", "statement", "statements", "criticism", "support", "threats", "threat",
    "word", "reaction", "officials", "official", "delegation", "request", "requests", "offer", "offers",
    "protest", "complaint", "complaints", "overtures", "assurances", "guarantees", "recognition", "aid",
    "weapons", "arms", "loyalty", "allegiance", "orders", "instructions", "comments", "rhetoric",
    "claims", "accusations", "responses", "approval", "consent", "permission", "backing", "funding",
];

/// Nouns before "with X" that make a capital a metonym ("talks with Tbilisi").
pub const WITH_NOUNS: &[&str] = &[
    "talks", "relations", "ties", "negotiations", "dialogue", "agreement", "agreements", "deal", "peace",
    "tensions", "dispute", "disputes", "cooperation", "rapprochement", "contacts", "treaty", "alliance",
    "partnership", "friction", "spat", "row", "standoff", "quarrel", "normalization", "normalisation",
    "solidarity", "conflict", "war", "negotiate", "negotiating", "negotiated", "sided", "side", "siding",
    "allied", "aligned", "cooperate", "cooperating", "engage", "engaging", "deals", "meeting", "meetings",
    "accord", "understanding", "trade", "clash", "clashes", "confrontation", "feud", "break", "broke",
    "reconcile", "relationship", "links", "coordination", "consultations", "negotiators",
];

/// Nouns before "between X and Y" that make the pair literal places ("flights between A and B").
pub const TRAVEL_NOUNS: &[&str] = &[
    "flights", "flight", "trains", "train", "buses", "bus", "road", "roads", "railway", "railways", "railroad",
    "rail", "highway", "highways", "route", "routes", "distance", "traffic", "travel", "trip", "trips", "drive",
    "connection", "connections", "link", "links", "pipeline", "pipelines", "corridor", "services", "service",
    "line", "lines", "journey", "ferry", "ferries", "cable", "power", "gas", "way", "halfway", "located",
    "lies", "situated", "border", "area", "region", "villages", "towns", "cities", "flown", "fly", "flew",
    "flying", "travelled", "traveled", "travelling", "traveling", "commute", "commuted", "driven", "drove",
    "runs", "ran", "operate", "operates", "shuttle", "shuttled", "sail", "sailed", "walked", "marched",
    "stretches", "stretch", "midway",
];

/// Verbs before a capital whose object is a government ("accused Baku").
pub const METONYM_OBJECT_VERBS: &[&str] = &[
    "accused", "accuse", "accuses", "urged", "urge", "urges", "warned", "warn", "warns", "pressured",
    "pressure", "pressures", "criticised", "criticized", "criticise", "criticize", "blamed", "blame",
    "blames", "supports", "support", "backs", "backed", "asked", "ask", "asks", "told", "tell", "tells",
    "called", "condemned", "condemn", "condemns", "sanctioned", "sanction", "rebuked", "warning", "urging",
    "accusing", "blaming", "pressuring", "against", "by", "official", "recognizes", "recognises",
    "recognized", "recognised", "persuade", "persuaded", "convince", "convinced", "reassure", "reassured",
    "provoke", "provoked", "punish", "punished", "joined", "join", "joins", "invited", "invite", "invites",
];

/// Words after a town name that make it the district/front of the same name ("Lachin district").
pub const DISTRICT_NOUNS: &[&str] = &[
    "district", "districts", "region", "regions", "rayon", "rayons", "direction", "directions", "front",
    "sector", "raion", "area", "municipality", "axis",
];

/// Words after "Caucasus"/"Caspian" that keep a weak alias geographic.
pub const REGION_NOUNS: &[&str] = &[
    "region", "regions", "area", "basin", "coast", "coastline", "coasts", "shore", "shores", "littoral", "states",
    "countries", "nations", "republics", "neighbours", "neighbors", "waters", "seabed", "shelf", "sea",
    "neighbourhood", "neighborhood",
];

/// Lower-case modifiers that may stand between a compound and "border" ("Armenia-Azerbaijan state border").
pub const BORDER_MODS: &[&str] = &[
    "state", "international", "common", "shared", "land", "official", "disputed", "de", "facto", "mountainous",
    "northern", "southern", "eastern", "western", "northeastern", "northwestern", "southeastern",
    "southwestern", "long", "porous", "closed", "sealed", "current", "former", "new", "old", "entire", "whole",
    "main", "undemarcated", "undelimited", "unmarked", "militarized", "militarised", "tense", "volatile",
    "river", "mutual", "joint", "sealed", "heavily", "internationally", "recognized", "recognised", "soviet",
    "era", "km", "kilometre", "kilometer", "mile", "lengthy", "short", "rugged", "actual",
];

/// Words before "border" that make it refer to the two countries in focus ("their common border").
pub const COREF_STRONG: &[&str] = &[
    "shared", "common", "mutual", "joint", "bilateral", "interstate", "their",
];

/// Plural subjects whose possessive before "border" makes a co-reference ("the countries' border").
pub const COREF_PLURAL_OWNERS: &[&str] = &[
    "countries", "nations", "states", "neighbours", "neighbors", "sides", "republics", "rivals", "foes",
    "adversaries", "enemies", "neighbouring", "neighboring",
];
