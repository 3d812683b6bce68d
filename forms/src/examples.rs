//! Sample data for the standard templates (`forms/examples/ID.json`), compiled in: the template editor
//! previews a draft with it and checks the draft's binds against it (a bind the form's data never has).

use serde_json::Value;

/// Template id → its sample case data (JSON).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("ido-todoke", include_str!("../examples/ido-todoke.json")),
    (
        "inkan-shomei",
        include_str!("../examples/inkan-shomei.json"),
    ),
    (
        "inkan-toroku",
        include_str!("../examples/inkan-toroku.json"),
    ),
    ("jidou-teate", include_str!("../examples/jidou-teate.json")),
    (
        "juminhyo-kojin",
        include_str!("../examples/juminhyo-kojin.json"),
    ),
    (
        "juminhyo-setai",
        include_str!("../examples/juminhyo-setai.json"),
    ),
    ("kisai-jiko", include_str!("../examples/kisai-jiko.json")),
    (
        "kisai-jiko-setai",
        include_str!("../examples/kisai-jiko-setai.json"),
    ),
    ("kokuho-ido", include_str!("../examples/kokuho-ido.json")),
    (
        "koufu-seikyu",
        include_str!("../examples/koufu-seikyu.json"),
    ),
    (
        "mynumber-kenmen",
        include_str!("../examples/mynumber-kenmen.json"),
    ),
    (
        "shinsei-naiyou",
        include_str!("../examples/shinsei-naiyou.json"),
    ),
    (
        "shotoku-kazei",
        include_str!("../examples/shotoku-kazei.json"),
    ),
    (
        "tenshutsu-junzuru",
        include_str!("../examples/tenshutsu-junzuru.json"),
    ),
    (
        "tetsuzuki-annai",
        include_str!("../examples/tetsuzuki-annai.json"),
    ),
    ("uketsukehyo", include_str!("../examples/uketsukehyo.json")),
];

/// The sample data of template `id`, if the engine ships one.
pub fn example(id: &str) -> Option<Value> {
    EXAMPLES
        .iter()
        .find(|(name, _)| *name == id)
        .and_then(|(_, json)| serde_json::from_str(json).ok())
}
