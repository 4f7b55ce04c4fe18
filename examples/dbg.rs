fn main() {
    let p = std::env::args().nth(1).unwrap();
    let a = borderlens::article::Article::from_path(&p).unwrap();
    let text = a.annotation_text();
    let o = borderlens::article::Geoparser::embedded().annotate_open(&text);
    for e in &o.entities {
        if e.kind == borderlens::article::EntityKind::Border {
            println!(
                "BORDER {} sents {:?}",
                e.id,
                e.mentions.iter().map(|m| m.sentence).collect::<Vec<_>>()
            );
        }
    }
    for m in &o.located.settlements {
        println!(
            "S {} {} sent {} {:?} [{}]",
            m.id,
            m.name,
            m.sentence,
            m.via,
            &text[m.start..m.end]
        );
    }
    println!("{:?}", o.located.border_near);
}
