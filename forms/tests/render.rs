//! Rendering through the real fonts and checked with poppler's own tools (`pdftotext`, `pdffonts`,
//! `pdfinfo`), as a printer driver or a PDF viewer would read the file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use madoguchi_forms::library::Library;
use madoguchi_forms::{Fonts, FormsError, ProblemKind, Rendered, Template, render};
use serde_json::{Value, json};

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        Fonts::load(None).expect(
            "fonts (cargo xtask test installs fonts-ipamj-mincho and fonts-ipaexfont-gothic)",
        )
    })
}

fn templates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")
}

fn template(id: &str) -> Template {
    let text = std::fs::read_to_string(templates().join(format!("{id}.toml"))).expect("template");
    Template::parse(&text).expect("valid template")
}

fn example(id: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{id}.json"));
    serde_json::from_str(&std::fs::read_to_string(p).expect("example")).expect("json")
}

/// Runs a poppler tool on the PDF and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("f.pdf");
    std::fs::write(&file, pdf).expect("write");
    let out = Command::new(tool)
        .args(args)
        .arg(&file)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} ({e}); cargo xtask test installs poppler-utils"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Text without any kind of space (layout spacing is the viewer's business, the characters are ours).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn render_one(id: &str, data: &Value) -> Rendered {
    let t = template(id);
    render(fonts(), &[(&t, data)]).expect("render")
}

#[test]
fn rare_kanji_and_long_values_come_back_from_pdftotext_exactly() {
    let mut data = example("ido-todoke");
    let katagaki = "さくら野ハイツ東棟（旧館）二〇一号室　管理人室気付　髙橋様方　山﨑ビル々々三階奥の部屋　長い方書の確認用です。以上八文字";
    assert_eq!(katagaki.chars().count(), 60);
    let foreign = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF MARIA CHRISTINA";
    data["new_address"]["katagaki"] = json!(katagaki);
    data["movers"][1]["name"] = json!("山﨑　佐々木");
    data["movers"][2]["name"] = json!(foreign);
    data["movers"][3]["name"] = json!("髙橋　𠮷男");
    let out = render_one("ido-todoke", &data);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let text = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    for want in [
        "𠮷田健",
        "山﨑佐々木",
        "髙橋𠮷男",
        &squeeze(foreign),
        &squeeze(katagaki),
        "令和8年11月20日",
        "昭和50年1月1日",
        "令和元年5月1日",
        "群馬県さくら野市本町一丁目2番3号",
    ] {
        assert!(text.contains(want), "{want} not found in: {text}");
    }
}

#[test]
fn fonts_are_embedded_as_subsets_with_unicode_maps_and_pages_are_exact() {
    let out = render_one("ido-todoke", &example("ido-todoke"));
    let fonts = poppler("pdffonts", &[], &out.pdf);
    for name in ["IPAmjMincho", "IPAexGothic"] {
        let line = fonts
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} missing: {fonts}"));
        let cols: Vec<&str> = line.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, object, generation
        assert_eq!(&cols[4..7], ["yes", "yes", "yes"], "{line}");
        assert!(
            cols[0].len() == 7 + name.len() && cols[0].as_bytes()[6] == b'+',
            "subset tag: {line}"
        );
    }
    let info = poppler("pdfinfo", &[], &out.pdf);
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    assert!(
        info.contains("Pages:           2"),
        "5 movers: a continuation page: {info}"
    );
    // Subsets keep the file small although IPAmj明朝 is 46 MB.
    assert!(out.pdf.len() < 150_000 * 2, "{} bytes", out.pdf.len());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let data = example("ido-todoke");
    let a = render_one("ido-todoke", &data).pdf;
    let b = render_one("ido-todoke", &data).pdf;
    assert!(a == b, "rendering is deterministic");
}

#[test]
fn a_preview_frames_the_elements_with_problems_and_only_those() {
    let t = template("ido-todoke");
    let data = example("ido-todoke");
    let plain = render_one("ido-todoke", &data).pdf;
    let preview = madoguchi_forms::render_preview(fonts(), &[(&t, &data)], false).expect("preview");
    assert!(
        preview.pdf == plain,
        "no problem: the preview is the printed form"
    );
    let mut long = data.clone();
    long["movers"][0]["name"] = json!("長".repeat(200));
    let printed = render_one("ido-todoke", &long);
    let preview = madoguchi_forms::render_preview(fonts(), &[(&t, &long)], false).expect("preview");
    assert_eq!(preview.problems, printed.problems);
    assert!(
        preview.pdf != printed.pdf,
        "the overflow is framed in the preview"
    );
}

#[test]
fn movers_continue_on_continuation_pages() {
    let mut data = example("ido-todoke");
    let movers = data["movers"].as_array().expect("movers").clone();
    for (n, pages) in [(1, 1), (4, 1), (5, 2), (9, 3)] {
        data["movers"] = json!(movers.iter().cycle().take(n).cloned().collect::<Vec<_>>());
        let out = render_one("ido-todoke", &data);
        assert_eq!(out.pages, pages, "{n} movers");
    }
}

#[test]
fn overflow_and_missing_characters_are_reported_never_cut_silently() {
    let mut data = example("ido-todoke");
    data["movers"][0]["name"] = json!("長".repeat(200));
    data["new_address"]["postal"] = json!("376-00011");
    data["applicant"]["name"] = json!("山田\u{E000}");
    let out = render_one("ido-todoke", &data);
    let kinds: Vec<(String, ProblemKind)> = out
        .problems
        .iter()
        .map(|p| (p.element.clone(), p.kind.clone()))
        .collect();
    assert!(
        kinds.contains(&("name".into(), ProblemKind::Overflow)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("new_address.postal|digits".into(), ProblemKind::Overflow)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(
            "applicant.name".into(),
            ProblemKind::MissingGlyphs("\u{E000}".into())
        )),
        "{kinds:?}"
    );
    // The overflowing text is still all in the file (printed beyond its box, for staff to see).
    let text = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    assert_eq!(text.matches('長').count(), 200);
    assert!(
        out.problems[0].to_string().contains("枠に収まりません"),
        "{}",
        out.problems[0]
    );
}

#[test]
fn bad_templates_are_refused_with_position_and_reason() {
    let cases = [
        ("id = \"x\"\nname = \"x\"\nversion = 1\n", "3", "書式"),
        (
            "id = \"x\"\nname = \"x\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n[page]\nsize = \"A3\"\n",
            "6",
            "書式",
        ),
        (
            "id = \"x\"\nname = \"x\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n[page]\nsize = \"A4\"\n[[elements]]\nkind = \"rect\"\nx = 200\ny = 10\nw = 20\nh = 5\n",
            "0",
            "はみ出して",
        ),
        (
            "id = \"x\"\nname = \"x\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n[page]\nsize = \"A4\"\n[[elements]]\nkind = \"text\"\nx = 10\ny = 10\nw = 20\nh = 5\nbind = \"a|nosuch\"\n",
            "0",
            "フィルタ",
        ),
    ];
    for (source, line, why) in cases {
        match Template::parse(source) {
            Err(FormsError::Template {
                line: l, reason, ..
            }) => {
                assert!(
                    reason.contains(why) && (line == "0" || l.to_string() == line),
                    "{source}: line {l}: {reason}"
                );
            }
            other => panic!("{source}: expected a template error, got {other:?}"),
        }
    }
}

#[test]
fn the_version_in_force_on_the_case_date_is_used() {
    let lib = Library::load_dir(&templates()).expect("library");
    let t = lib
        .in_force(
            "ido-todoke",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        )
        .expect("in force");
    assert_eq!(t.version, "2026-04");
    assert!(
        lib.in_force(
            "ido-todoke",
            chrono::NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")
        )
        .is_err()
    );
    let mut newer = t.clone();
    newer.version = "2027-04".into();
    newer.valid_from = chrono::NaiveDate::from_ymd_opt(2027, 4, 1).expect("date");
    let mut lib2 = Library::load_dir(&templates()).expect("library");
    lib2.add(newer.clone())
        .expect("a later version supersedes the open-ended one");
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    assert_eq!(
        lib2.in_force("ido-todoke", day(2027, 3, 31))
            .expect("t")
            .version,
        "2026-04"
    );
    assert_eq!(
        lib2.in_force("ido-todoke", day(2027, 4, 1))
            .expect("t")
            .version,
        "2027-04"
    );
    assert_eq!(
        lib2.version("ido-todoke", "2026-04")
            .expect("t")
            .valid_until,
        Some(day(2027, 4, 1))
    );
    assert!(
        lib2.add(newer.clone()).is_err(),
        "a version label is never reused"
    );
    let mut older = t.clone();
    older.version = "2025-04".into();
    older.valid_from = day(2025, 4, 1);
    assert!(
        lib2.add(older).is_err(),
        "an open-ended older version would overlap"
    );
}

/// Every shipped template has an example case that renders without a problem, on its exact page size.
#[test]
fn every_template_renders_its_example_without_problems() {
    let lib = Library::load_dir(&templates()).expect("library");
    let ids: Vec<String> = lib.ids().map(str::to_owned).collect();
    assert!(ids.len() >= 4, "{ids:?}");
    for id in &ids {
        let t = lib
            .in_force(
                id,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
            )
            .expect("in force");
        let out = render(fonts(), &[(t, &example(id))]).expect("render");
        assert!(out.problems.is_empty(), "{id}: {:?}", out.problems);
        let (w, h) = t.page.size_mm();
        let info = poppler("pdfinfo", &[], &out.pdf);
        let size: Vec<f64> = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .expect("page size")
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        let want = [f64::from(w) * 72.0 / 25.4, f64::from(h) * 72.0 / 25.4];
        assert!(
            size.len() == 2
                && (size[0] - want[0]).abs() < 0.002
                && (size[1] - want[1]).abs() < 0.002,
            "{id}: {size:?} pt, want {want:?}"
        );
    }
    // One print job of several forms keeps their order.
    let job: Vec<(&Template, Value)> = ids
        .iter()
        .map(|id| {
            (
                lib.in_force(
                    id,
                    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
                )
                .expect("t"),
                example(id),
            )
        })
        .collect();
    let refs: Vec<(&Template, &Value)> = job.iter().map(|(t, d)| (*t, d)).collect();
    let out = render(fonts(), &refs).expect("render job");
    let singles: usize = refs
        .iter()
        .map(|f| render(fonts(), &[*f]).expect("render").pages)
        .sum();
    assert_eq!(out.pages, singles);
}

#[test]
fn vertical_text_reads_top_to_bottom_with_turned_punctuation() {
    let source = r#"
id = "tate"
name = "縦書き"
version = "1"
valid_from = "2026-04-01"
[page]
size = "A5"
[[elements]]
kind = "text"
x = 100
y = 10
w = 30
h = 60
bind = "text"
font = "mincho"
size = 14
vertical = true
"#;
    let t = Template::parse(source).expect("template");
    let text = "さくら野市（縦書き）、二列目に続く。";
    let out = render(fonts(), &[(&t, &json!({ "text": text }))]).expect("render");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    assert!(got.contains(&squeeze(text)), "{got}");
    // Too long for the column box even at the smallest size: reported.
    let out = render(fonts(), &[(&t, &json!({ "text": "長".repeat(400) }))]).expect("render");
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
}

#[test]
fn strokes_of_the_wrong_shape_are_reported() {
    let mut data = example("shinsei-naiyou");
    data["resident"]["signature"] = json!([[[0.1, 0.2], [2.0, 0.5]]]);
    let out = render_one("shinsei-naiyou", &data);
    assert_eq!(
        out.problems
            .iter()
            .map(|p| (p.element.as_str(), p.kind.clone()))
            .collect::<Vec<_>>(),
        [("resident.signature", ProblemKind::InvalidValue)]
    );
}

#[test]
fn a_signature_with_pen_pressure_is_drawn_with_its_widths() {
    // The strokes `core::signature::form_strokes` makes: [x, y, pressure].
    let strokes: Vec<Vec<[f64; 3]>> = vec![
        (0..30)
            .map(|i| {
                [
                    0.05 + i as f64 * 0.02,
                    0.5 + (i as f64 / 4.0).sin() * 0.3,
                    i as f64 / 29.0,
                ]
            })
            .collect(),
    ];
    let mut data = example("shinsei-naiyou");
    data["resident"]["signature"] = json!(strokes);
    let heavy = render_one("shinsei-naiyou", &data);
    assert!(heavy.problems.is_empty(), "{:?}", heavy.problems);
    let light: Vec<Vec<[f64; 3]>> = strokes
        .iter()
        .map(|s| s.iter().map(|p| [p[0], p[1], 0.0]).collect())
        .collect();
    data["resident"]["signature"] = json!(light);
    let thin = render_one("shinsei-naiyou", &data);
    assert!(thin.problems.is_empty());
    // The pressure reaches the page: the same strokes with more pressure draw more ink.
    assert!(
        ink(&heavy.pdf) > ink(&thin.pdf) + 50,
        "{} vs {}",
        ink(&heavy.pdf),
        ink(&thin.pdf)
    );
    // A pressure outside 0–1 is a problem, not a silent clamp.
    data["resident"]["signature"] = json!([[[0.1, 0.2, 1.5], [0.3, 0.5, 0.5]]]);
    assert_eq!(render_one("shinsei-naiyou", &data).problems.len(), 1);
}

/// Dark pixels of the first page at 100 dpi.
fn ink(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "100", "-gray", "-f", "1", "-l", "1"])
        .arg(&path)
        .output()
        .expect("pdftoppm");
    // PGM: three header lines, then one byte per pixel.
    let mut newlines = 0;
    let start = out.stdout.iter().position(|b| {
        newlines += usize::from(*b == b'\n');
        newlines == 3
    });
    out.stdout[start.map_or(0, |i| i + 1)..]
        .iter()
        .filter(|b| **b < 128)
        .count()
}

/// Decodes a greyscale PNG that pdftoppm wrote.
fn grey_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("png");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    let grey = buf.chunks(channels).map(|p| p[0]).collect();
    (info.width, info.height, grey)
}

/// The first page of every template's example, rasterised by pdftoppm at 40 dpi, matches its golden
/// image (`tests/golden/ID.png`) but for a few pixels (anti-aliasing). `UPDATE_GOLDEN=1` rewrites them.
#[test]
fn first_pages_match_their_golden_images() {
    let lib = Library::load_dir(&templates()).expect("library");
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    for id in lib.ids() {
        let t = lib.in_force(id, date).expect("in force");
        let out = render(fonts(), &[(t, &example(id))]).expect("render");
        let dir = tempfile::tempdir().expect("tempdir");
        let pdf = dir.path().join("f.pdf");
        std::fs::write(&pdf, &out.pdf).expect("write");
        let status = Command::new("pdftoppm")
            .args([
                "-r",
                "40",
                "-gray",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
            ])
            .arg(&pdf)
            .arg(dir.path().join("page"))
            .status()
            .expect("pdftoppm");
        assert!(status.success());
        let png_bytes = std::fs::read(dir.path().join("page.png")).expect("png");
        let golden = golden_dir.join(format!("{id}.png"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(&golden_dir).expect("dir");
            std::fs::write(&golden, &png_bytes).expect("write golden");
            continue;
        }
        let want = std::fs::read(&golden)
            .unwrap_or_else(|_| panic!("{id}: no golden image; run with UPDATE_GOLDEN=1"));
        let (w1, h1, a) = grey_png(&png_bytes);
        let (w2, h2, b) = grey_png(&want);
        assert_eq!((w1, h1), (w2, h2), "{id}: size");
        let differing = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| x.abs_diff(**y) > 64)
            .count();
        assert!(
            differing * 10_000 <= a.len() * 5,
            "{id}: {differing} of {} pixels differ from the golden image",
            a.len()
        );
        // And the page is not blank: the golden comparison would pass two empty pages.
        assert!(
            a.iter().filter(|p| **p < 128).count() > 200,
            "{id}: page looks empty"
        );
    }
}

#[test]
fn the_compiled_in_standard_set_is_the_templates_folder() {
    let standard = Library::standard().expect("standard");
    let folder = Library::load_dir(&templates()).expect("folder");
    assert_eq!(
        standard.ids().collect::<Vec<_>>(),
        folder.ids().collect::<Vec<_>>(),
        "add new template files to library::STANDARD"
    );
    assert!(standard.ids().count() >= 10);
}

#[test]
fn seal_images_are_embedded_with_their_transparency_and_bad_ones_reported() {
    let data = example("inkan-toroku");
    let out = render_one("inkan-toroku", &data);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let list = poppler("pdfimages", &["-list"], &out.pdf);
    let kinds: Vec<&str> = list
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(kinds, ["image", "smask"], "{list}");
    let mut bad = data.clone();
    bad["application"]["seal_image"] = json!("data:image/gif;base64,R0lGODlhAQABAAAAACw=");
    let out = render_one("inkan-toroku", &bad);
    assert_eq!(
        out.problems
            .iter()
            .map(|p| (p.element.as_str(), p.kind.clone()))
            .collect::<Vec<_>>(),
        [("application.seal_image", ProblemKind::InvalidValue)]
    );
}

#[test]
fn an_existing_pdf_page_serves_as_background() {
    // The "official form": a page rendered by the engine itself stands in for a city's PDF.
    let official = render_one("ido-todoke", &example("ido-todoke")).pdf;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("official.pdf"), &official).expect("write");
    let overlay = r#"
id = "overlay"
name = "背景つき"
version = "1"
valid_from = "2026-04-01"
[page]
size = "A4"
background = { file = "official.pdf", page = 2 }
[[elements]]
kind = "text"
x = 120
y = 270
w = 80
h = 8
bind = "note"
font = "mincho"
"#;
    std::fs::write(dir.path().join("overlay.toml"), overlay).expect("write");
    let lib = Library::load_dir(dir.path()).expect("library");
    let t = lib
        .in_force(
            "overlay",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        )
        .expect("template");
    let data = json!({"note": "山﨑 受付 2026-11-23"});
    let out = render(fonts(), &[(t, &data)]).expect("render");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let text = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    for want in ["住民異動届", "妻の母", "山﨑受付2026-11-23"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let again = render(fonts(), &[(t, &data)]).expect("render");
    assert!(again.pdf == out.pdf, "deterministic with a background too");

    // A file outside the template's folder, a missing file, a missing page: refused with a reason.
    for (spec, why) in [
        ("file = \"/etc/passwd.pdf\"", "同じフォルダー"),
        ("file = \"none.pdf\"", "読めません"),
        ("file = \"official.pdf\", page = 9", "9 ページ目"),
    ] {
        let text = overlay.replace("file = \"official.pdf\", page = 2", spec);
        let mut t = Template::parse(&text).expect("parses");
        match t.attach_background(dir.path()) {
            Err(FormsError::Template { reason, .. }) => {
                assert!(reason.contains(why), "{spec}: {reason}")
            }
            other => panic!("{spec}: {other:?}"),
        }
        // Without its background the template cannot be rendered.
        assert!(render(fonts(), &[(&t, &data)]).is_err());
    }
}

/// The left edge (points) of the first word of `pdf` that contains `word` (pdftotext -bbox).
fn word_x(pdf: &[u8], word: &str) -> f32 {
    let html = poppler("pdftotext", &["-bbox"], pdf);
    let line = html
        .lines()
        .find(|l| l.contains("<word") && l.contains(word))
        .unwrap_or_else(|| panic!("{word} not in {html}"));
    let start = line.find("xMin=\"").expect("xMin") + 6;
    let end = start + line[start..].find('"').expect("quote");
    line[start..end].parse().expect("number")
}

#[test]
fn a_background_is_placed_in_its_box_and_a_box_off_the_page_is_refused() {
    let official = render_one("ido-todoke", &example("ido-todoke")).pdf;
    let with = |placement: &str| {
        let text = format!(
            "id = \"placed\"\nname = \"背景\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n\
             [page]\nsize = \"A4\"\nbackground = {{ file = \"official.pdf\", page = 1{placement} }}\n"
        );
        Template::parse(&text)
    };
    let mut whole = with("").expect("parses");
    whole.attach_background_pdf(&official).expect("attach");
    let mut right_half = with(", x = 105, y = 0, w = 105, h = 148.5").expect("parses");
    right_half.attach_background_pdf(&official).expect("attach");
    let (a, b) = (
        render(fonts(), &[(&whole, &json!({}))])
            .expect("render")
            .pdf,
        render(fonts(), &[(&right_half, &json!({}))])
            .expect("render")
            .pdf,
    );
    let (xa, xb) = (word_x(&a, "住民異動届"), word_x(&b, "住民異動届"));
    let half = 105.0 * 72.0 / 25.4;
    assert!(
        (xb - (half + xa / 2.0)).abs() < 2.0,
        "moved right by half the page and shrunk to half: {xa} → {xb}"
    );
    for bad in [", w = 0", ", x = 300", ", h = -5", ", w = 900"] {
        match with(bad) {
            Err(FormsError::Template { reason, .. }) => {
                assert!(reason.contains("背景の位置"), "{bad}: {reason}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn the_preview_grid_shows_millimetres_over_the_page() {
    let t = a4(r#"
[[elements]]
kind = "text"
x = 20
y = 20
w = 60
h = 8
text = "見出し"
"#);
    let plain =
        madoguchi_forms::render_preview(fonts(), &[(&t, &json!({}))], false).expect("preview");
    let grid =
        madoguchi_forms::render_preview(fonts(), &[(&t, &json!({}))], true).expect("preview");
    assert_eq!(
        squeeze(&poppler("pdftotext", &["-raw"], &plain.pdf)),
        "見出し"
    );
    let text = poppler("pdftotext", &["-raw"], &grid.pdf);
    for want in ["200", "280", "見出し"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(
        grid.problems.is_empty(),
        "the grid reports nothing: {:?}",
        grid.problems
    );
    assert!(grid.pdf.len() > plain.pdf.len());
}

#[test]
fn a_choice_value_no_option_stands_for_is_reported() {
    let mut data = example("ido-todoke");
    data["movers"][0]["sex"] = json!("不明");
    let out = render_one("ido-todoke", &data);
    assert_eq!(
        out.problems
            .iter()
            .map(|p| (p.element.as_str(), p.kind.clone()))
            .collect::<Vec<_>>(),
        [("sex", ProblemKind::InvalidValue)]
    );
    assert!(
        out.problems[0].to_string().contains("値の形式"),
        "{}",
        out.problems[0]
    );
}

/// A one-page A4 template with the given elements (TOML `[[elements]]` tables).
fn a4(elements: &str) -> Template {
    let source = format!(
        "id = \"t\"\nname = \"試験\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n[page]\nsize = \"A4\"\n{elements}"
    );
    Template::parse(&source).unwrap_or_else(|e| panic!("{source}: {e:?}"))
}

/// The reason a template is refused for.
fn refusal(elements: &str) -> String {
    let source = format!(
        "id = \"t\"\nname = \"試験\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n[page]\nsize = \"A4\"\n{elements}"
    );
    match Template::parse(&source) {
        Err(FormsError::Template { reason, .. }) => reason,
        other => panic!("{elements}: expected a template error, got {other:?}"),
    }
}

#[test]
fn a_guilloche_is_small_vector_work_without_text_and_microtext_reads_back() {
    let empty = render(fonts(), &[(&a4(""), &json!({}))]).expect("render");
    let guilloche = a4("[[elements]]\nkind = \"pattern\"\n");
    let out = render(fonts(), &[(&guilloche, &json!({}))]).expect("render");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let added = out.pdf.len() - empty.pdf.len();
    assert!(added < 30_000, "a page of guilloche adds {added} bytes");
    assert_eq!(squeeze(&poppler("pdftotext", &["-raw"], &out.pdf)), "");
    // It is drawn: a faint grey, no black.
    let (light, dark) = greys(&out.pdf, None);
    assert!(
        light > 10_000 && dark == 0,
        "{light} grey, {dark} dark pixels"
    );

    let micro = a4(
        "[[elements]]\nkind = \"pattern\"\nstyle = \"microtext\"\nx = 15\ny = 100\nw = 180\nh = 5\ngrey = 0.8\nbind = \"city\"\n\
         [[elements]]\nkind = \"pattern\"\nstyle = \"microtext\"\nx = 15\ny = 150\nw = 60\nh = 2.5\ntext = \"見本市\"\n",
    );
    let out = render(fonts(), &[(&micro, &json!({"city": "さくら野市"}))]).expect("render");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let text = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    assert!(text.contains(&"さくら野市".repeat(10)), "{text}");
    assert!(text.contains("見本市見本市"), "{text}");
    // A missing bound value prints nothing.
    let out = render(fonts(), &[(&micro, &json!({}))]).expect("render");
    assert!(!squeeze(&poppler("pdftotext", &["-raw"], &out.pdf)).contains("さくら"));

    // The certificates: the guilloche stays out of the text, and the file small.
    let out = render_one("juminhyo-setai", &example("juminhyo-setai"));
    assert!(out.pdf.len() < 150_000, "{} bytes", out.pdf.len());
    let again = render_one("juminhyo-setai", &example("juminhyo-setai"));
    assert!(again.pdf == out.pdf, "deterministic with patterns too");
}

/// Grey (not white) and dark pixels of the first page at 100 dpi, or of the box (x, y, w, h pixels).
fn greys(pdf: &[u8], area: Option<(u32, u32, u32, u32)>) -> (usize, usize) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).expect("write");
    let mut args: Vec<String> = ["-r", "100", "-gray", "-png", "-f", "1", "-l", "1"]
        .map(String::from)
        .to_vec();
    if let Some((x, y, w, h)) = area {
        for (flag, v) in [("-x", x), ("-y", y), ("-W", w), ("-H", h)] {
            args.extend([flag.to_owned(), v.to_string()]);
        }
    }
    let out = Command::new("pdftoppm")
        .args(&args)
        .arg(&path)
        .output()
        .expect("pdftoppm");
    let (_, _, pixels) = grey_png(&out.stdout);
    let light = pixels.iter().filter(|p| (128..250).contains(*p)).count();
    let dark = pixels.iter().filter(|p| **p < 128).count();
    (light, dark)
}

#[test]
fn a_pattern_lies_beneath_everything_wherever_it_stands_in_the_list() {
    // A black box, then a guilloche over the whole page: the box stays black through and through.
    let t = a4(
        "[[elements]]\nkind = \"rect\"\nx = 50\ny = 50\nw = 50\nh = 50\nfill = 0\n\
         [[elements]]\nkind = \"pattern\"\n",
    );
    let out = render(fonts(), &[(&t, &json!({}))]).expect("render");
    // 50 mm at 100 dpi is 197 px: look inside the box, off its edges.
    let (light, dark) = greys(&out.pdf, Some((205, 205, 180, 180)));
    assert_eq!((light, dark), (0, 180 * 180));
}

#[test]
fn bad_patterns_and_only_on_values_are_refused() {
    let cases = [
        ("kind = \"pattern\"\ngrey = 0.5", "0.80〜0.97"),
        ("kind = \"pattern\"\ngrey = 0.99", "0.80〜0.97"),
        ("kind = \"pattern\"\ntext = \"さくら野市\"", "microtext"),
        ("kind = \"pattern\"\nstyle = \"microtext\"", "繰り返す文字"),
        (
            "kind = \"pattern\"\nstyle = \"microtext\"\ntext = \"a\"\nbind = \"b\"",
            "繰り返す文字",
        ),
        ("kind = \"pattern\"\nstyle = \"waves\"", "書式"),
        ("kind = \"pattern\"\nx = 100\nw = 200", "はみ出して"),
        (
            "kind = \"text\"\nx = 1\ny = 1\nw = 9\nh = 9\ntext = \"a\"\nonly_on = \"middle\"",
            "書式",
        ),
        (
            "kind = \"rows\"\nbind = \"a\"\ny = 10\nheight = 10\nmax_rows = 2\nonly_on = \"last\"\nelements = []",
            "only_on",
        ),
        (
            "kind = \"rows\"\nbind = \"a\"\ny = 10\nheight = 10\nmax_rows = 2\n[[elements.elements]]\nkind = \"pattern\"",
            "rows の中",
        ),
    ];
    for (element, why) in cases {
        let reason = refusal(&format!("[[elements]]\n{element}\n"));
        assert!(reason.contains(why), "{element}: {reason}");
    }
}

#[test]
fn only_on_keeps_an_element_to_the_first_or_the_last_sheet() {
    let t = a4(
        "[[elements]]\nkind = \"text\"\nx = 15\ny = 10\nw = 100\nh = 8\ntext = \"最初の頁だけ\"\nonly_on = \"first\"\n\
         [[elements]]\nkind = \"text\"\nx = 15\ny = 250\nw = 100\nh = 8\nbind = \"attestation\"\nonly_on = \"last\"\n\
         [[elements]]\nkind = \"text\"\nx = 15\ny = 260\nw = 100\nh = 8\ntext = \"毎頁\"\n\
         [[elements]]\nkind = \"rows\"\nbind = \"items\"\ny = 30\nheight = 10\nmax_rows = 2\n\
         [[elements.elements]]\nkind = \"text\"\nx = 15\ny = 0\nw = 100\nh = 8\nbind = \"name\"\n\
         [[elements.elements]]\nkind = \"text\"\nx = 120\ny = 0\nw = 50\nh = 8\ntext = \"末尾\"\nonly_on = \"last\"\n",
    );
    let data = json!({
        "attestation": "相違ないことを証明する。",
        "items": [{"name": "一人目"}, {"name": "二人目"}, {"name": "三人目"}],
    });
    let out = render(fonts(), &[(&t, &data)]).expect("render");
    assert_eq!(out.pages, 2);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let page = |n: &str| squeeze(&poppler("pdftotext", &["-raw", "-f", n, "-l", n], &out.pdf));
    let (first, second) = (page("1"), page("2"));
    assert!(first.contains("最初の頁だけ") && !second.contains("最初の頁だけ"));
    assert!(!first.contains("証明する") && second.contains("相違ないことを証明する。"));
    assert!(first.contains("毎頁") && second.contains("毎頁"));
    assert!(!first.contains("末尾") && second.contains("三人目末尾"));

    // 世帯連記式: six people on two sheets, the attestation, date and mayor on the second only.
    let out = render_one("juminhyo-setai", &example("juminhyo-setai"));
    assert_eq!(out.pages, 2);
    let page = |n: &str| squeeze(&poppler("pdftotext", &["-raw", "-f", n, "-l", n], &out.pdf));
    let (first, second) = (page("1"), page("2"));
    for on_both in ["住民票の写し", "𠮷田健", "R08-000123", "本籍・筆頭者"] {
        assert!(
            first.contains(on_both) && second.contains(on_both),
            "{on_both}"
        );
    }
    for last in [
        "世帯全員の住民票の原本と相違ない",
        "令和8年12月6日",
        "さくら野市長見本太郎",
    ] {
        assert!(!first.contains(last) && second.contains(last), "{last}");
    }
    assert!(first.contains("𠮷田さくら") && second.contains("髙橋ハル"));
    assert!(second.contains("1990年5月1日") && second.contains("技術・人文知識・国際業務"));
    let images = |pdf: &[u8], n: &str| {
        poppler("pdfimages", &["-list", "-f", n, "-l", n], pdf)
            .lines()
            .skip(2)
            .count()
    };
    assert_eq!((images(&out.pdf, "1"), images(&out.pdf, "2")), (0, 2));

    // 個人票: one person a sheet, each attested.
    let mut data = example("juminhyo-kojin");
    let setai = example("juminhyo-setai");
    data["members"] = json!([setai["members"][0], setai["members"][5]]);
    let out = render_one("juminhyo-kojin", &data);
    assert_eq!(out.pages, 2);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    for n in ["1", "2"] {
        let text = squeeze(&poppler("pdftotext", &["-raw", "-f", n, "-l", n], &out.pdf));
        assert!(text.contains("住民票の原本と相違ない"), "{n}: {text}");
    }
}

/// The versions with 本籍・筆頭者, 住民票コード and 前住所 (2026-12-items) render their examples: a chosen
/// item prints its value, one not chosen prints 「省略」.
#[test]
fn juminhyo_versions_with_optional_items_print_them_or_omitted() {
    let lib = Library::standard().expect("library");
    // The 個人票's example is a foreign resident (no 本籍: 省略); the household's first member has all.
    let wanted = [
        ("juminhyo-kojin", "東京都新宿区西新宿二丁目8番1号"),
        ("juminhyo-setai", "群馬県みどり市笠懸町阿左美1234番地"),
    ];
    for (id, value) in wanted {
        let t = lib.version(id, "2026-12-items").expect("version");
        let old = lib
            .version(id, "2026-12")
            .expect("the earlier version is kept");
        assert_eq!(old.valid_until, Some(t.valid_from), "{id}");
        let out = render(fonts(), &[(t, &example(id))]).expect("render");
        assert!(out.problems.is_empty(), "{id}: {:?}", out.problems);
        let text = squeeze(&poppler(
            "pdftotext",
            &["-raw", "-f", "1", "-l", "1"],
            &out.pdf,
        ));
        for want in [
            "本籍",
            value,
            "12345678901",
            "住民票コード",
            "前住所",
            "省略",
        ] {
            assert!(text.contains(want), "{id}: {want} in {text}");
        }
    }
}

/// The box (x, y, w, h in mm from the top-left) that the dark pixels (grey < 128) of the first page
/// fill inside `area` (mm), rasterised by pdftoppm at 254 dpi: 10 pixels a millimetre.
fn dark_box(pdf: &[u8], area: (u32, u32, u32, u32)) -> Option<(f32, f32, f32, f32)> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).expect("write");
    let (x, y, w, h) = area;
    let mut args: Vec<String> = ["-r", "254", "-gray", "-png", "-f", "1", "-l", "1"]
        .map(String::from)
        .to_vec();
    for (flag, v) in [("-x", x), ("-y", y), ("-W", w), ("-H", h)] {
        args.extend([flag.to_owned(), (v * 10).to_string()]);
    }
    let out = Command::new("pdftoppm")
        .args(&args)
        .arg(&path)
        .output()
        .expect("pdftoppm");
    let (pw, _, pixels) = grey_png(&out.stdout);
    let dark = pixels
        .iter()
        .enumerate()
        .filter(|(_, p)| **p < 128)
        .map(|(i, _)| (i as u32 % pw, i as u32 / pw));
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (px, py) in dark {
        (x0, y0, x1, y1) = (x0.min(px), y0.min(py), x1.max(px), y1.max(py));
    }
    (x0 <= x1).then(|| {
        let mm = |px: u32| px as f32 / 10.0;
        (
            mm(x0) + x as f32,
            mm(y0) + y as f32,
            mm(x1 + 1 - x0),
            mm(y1 + 1 - y0),
        )
    })
}

/// A PNG data URL of `w`×`h` opaque black pixels.
fn black_png(w: u32, h: u32) -> String {
    use base64::Engine as _;
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().expect("header");
        writer
            .write_image_data(&vec![0; (w * h) as usize])
            .expect("data");
    }
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    )
}

const SIZED_IMAGE: &str = "[[elements]]\nkind = \"image\"\nx = 50\ny = 50\nw = 40\nh = 40\nbind = \"seal.image\"\n\
                           size_w_bind = \"seal.width_mm\"\nsize_h_bind = \"seal.height_mm\"\n";

#[test]
fn a_seal_is_drawn_at_its_registered_size_centred_never_fitted() {
    let close = |got: (f32, f32, f32, f32), want: (f32, f32, f32, f32), within: f32| {
        let d = [
            got.0 - want.0,
            got.1 - want.1,
            got.2 - want.2,
            got.3 - want.3,
        ];
        assert!(
            d.iter().all(|d| d.abs() <= within),
            "{got:?}, want {want:?}"
        );
    };
    // A 4×2 raster drawn 15 × 12.5 mm (not its proportions) in a 40 mm box: text or a number.
    let t = a4(SIZED_IMAGE);
    for (w, h) in [(json!("15.0"), json!("12.5")), (json!(15), json!(12.5))] {
        let data = json!({"seal": {"image": black_png(4, 2), "width_mm": w, "height_mm": h}});
        let out = render(fonts(), &[(&t, &data)]).expect("render");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let got = dark_box(&out.pdf, (45, 45, 50, 50)).expect("drawn");
        close(got, (62.5, 63.75, 15.0, 12.5), 0.11);
    }
    // Without sizes in the data, or without the binds, the old behaviour: fitted keeping proportions.
    let data = json!({"seal": {"image": black_png(4, 2)}});
    for t in [
        t.clone(),
        a4(
            "[[elements]]\nkind = \"image\"\nx = 50\ny = 50\nw = 40\nh = 40\nbind = \"seal.image\"\n",
        ),
    ] {
        let out = render(fonts(), &[(&t, &data)]).expect("render");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let got = dark_box(&out.pdf, (45, 45, 50, 50)).expect("drawn");
        close(got, (50.0, 60.0, 40.0, 20.0), 0.11);
    }

    // The 印鑑登録証明書: its 印影 at the registered 15 mm, centred in the 32 mm frame at (18, 45).
    let out = render_one("inkan-shomei", &example("inkan-shomei"));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got = dark_box(&out.pdf, (19, 46, 30, 30)).expect("seal drawn");
    // (its ring touches the raster's edges; the red is smoothed a little beyond them)
    close(got, (26.5, 53.5, 15.0, 15.0), 0.25);
    let text = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    for want in [
        "印鑑登録証明書",
        "100234",
        "髙橋花子",
        "昭和52年3月3日",
        "群馬県さくら野市本町100番地さくらハイツ101",
        "登録されている印影と相違ないことを証明する。",
        "R08-000123",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
}

#[test]
fn a_seal_larger_than_its_frame_or_of_a_bad_size_is_reported_never_scaled() {
    let problems = |data: &Value| {
        let out = render_one("inkan-shomei", data);
        out.problems
            .iter()
            .map(|p| (p.page, p.element.clone(), p.kind.clone()))
            .collect::<Vec<_>>()
    };
    let mut data = example("inkan-shomei");
    data["seal"]["width_mm"] = json!("33.0");
    let found = problems(&data);
    assert_eq!(
        found,
        [(1, "seal.width_mm".to_owned(), ProblemKind::Overflow)]
    );
    let out = render_one("inkan-shomei", &data);
    let message = out.problems[0].to_string();
    assert!(
        message.contains("1ページ目")
            && message.contains("seal.width_mm")
            && message.contains("枠に収まりません"),
        "{message}"
    );
    // Printed at its size, beyond the box, not shrunk into it (a black 33 × 20 mm stand-in).
    let t = a4(SIZED_IMAGE);
    let big = json!({"seal": {"image": black_png(3, 2), "width_mm": "44", "height_mm": 20}});
    let out = render(fonts(), &[(&t, &big)]).expect("render");
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    let (_, _, w, h) = dark_box(&out.pdf, (40, 40, 60, 60)).expect("drawn");
    assert!(
        (w - 44.0).abs() <= 0.11 && (h - 20.0).abs() <= 0.11,
        "{w} × {h}"
    );

    // Exactly the frame is fine; sizes that are not positive numbers, or only one of the two, are not.
    data["seal"]["width_mm"] = json!("32");
    data["seal"]["height_mm"] = json!(32.0);
    assert_eq!(problems(&data), []);
    for bad in [
        json!("15mm"),
        json!("abc"),
        json!("0"),
        json!(-3),
        json!("NaN"),
        json!("inf"),
        json!(true),
        json!([15]),
        json!(""),
        Value::Null,
    ] {
        let mut data = example("inkan-shomei");
        data["seal"]["height_mm"] = bad.clone();
        assert_eq!(
            problems(&data),
            [(1, "seal.height_mm".to_owned(), ProblemKind::InvalidValue)],
            "{bad}"
        );
    }
    let mut data = example("inkan-shomei");
    data["seal"]["width_mm"] = json!("０");
    data["seal"]["height_mm"] = json!("-1");
    assert_eq!(
        problems(&data),
        [
            (1, "seal.width_mm".to_owned(), ProblemKind::InvalidValue),
            (1, "seal.height_mm".to_owned(), ProblemKind::InvalidValue)
        ]
    );

    // The template gives both size binds or neither.
    for one in ["size_w_bind = \"a\"", "size_h_bind = \"a\""] {
        let reason = refusal(&format!(
            "[[elements]]\nkind = \"image\"\nx = 1\ny = 1\nw = 20\nh = 20\nbind = \"s\"\n{one}\n"
        ));
        assert!(
            reason.contains("size_w_bind と size_h_bind"),
            "{one}: {reason}"
        );
    }
    let reason = refusal(
        "[[elements]]\nkind = \"image\"\nx = 1\ny = 1\nw = 20\nh = 20\nbind = \"s\"\nsize_w_bind = \"a\"\nsize_h_bind = \"b|nope\"\n",
    );
    assert!(reason.contains("nope"), "{reason}");
}

/// The 交付請求書 version with every line (2026-12-lines) prints each certificate of the request with its
/// 使用目的, the total copies and fee; the earlier version is kept for reprints.
#[test]
fn the_request_form_lists_every_line() {
    let lib = Library::standard().expect("library");
    let t = lib
        .version("koufu-seikyu", "2026-12-lines")
        .expect("version");
    let old = lib.version("koufu-seikyu", "2026-04").expect("kept");
    assert_eq!(old.valid_until, Some(t.valid_from));
    let out = render(fonts(), &[(t, &example("koufu-seikyu"))]).expect("render");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let text = squeeze(&poppler("pdftotext", &["-raw"], &out.pdf));
    for want in [
        "住民票の写し",
        "勤務先への提出",
        "所得・課税証明書",
        "令和8年度",
        "保育所の入所申込み",
        "900円",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}
