//! The PDF notices: one per notice and one for the batch, every font embedded, the text of both
//! languages extractable. The poppler tools (`pdffonts`, `pdftotext`, `pdfinfo`), which `.ci/run`
//! installs, read them back; where they are missing the check says so and reads the bytes only.

use crate::common::{assert_exit, subsidy_pdf};

fn tool(name: &str) -> bool {
    std::process::Command::new(name).arg("-v").output().is_ok()
}

fn run(tool: &str, args: &[&str]) -> String {
    let o = std::process::Command::new(tool).args(args).output().expect("the tool runs");
    assert!(o.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_notice_is_a_pdf_with_its_fonts_embedded_and_its_text_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy_pdf(&crate::common::csv_batch(out.to_str().unwrap()));
    assert_exit(&o, 0);
    let notices = out.join("notices");
    let mut html: Vec<String> = fs_err::read_dir(&notices)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") && n != "index.html")
        .collect();
    html.sort();
    assert!(html.len() >= 5, "{html:?}");
    for h in &html {
        let pdf = fs_err::read(notices.join(h.replace(".html", ".pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{h}");
    }
    let bundle = notices.join("notices.pdf");
    assert!(fs_err::metadata(&bundle).unwrap().len() > 10_000);
    if !(tool("pdffonts") && tool("pdftotext") && tool("pdfinfo")) {
        eprintln!("poppler-utils are not installed: fonts and text of the PDFs not checked (see .ci/run)");
        return;
    }
    let pages = |p: &std::path::Path| -> usize {
        let info = run("pdfinfo", &[p.to_str().unwrap()]);
        info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
    };
    let mut total = 0;
    for h in &html {
        let pdf = notices.join(h.replace(".html", ".pdf"));
        let path = pdf.to_str().unwrap();
        // Every font embedded, with its Unicode map: the `emb` and `uni` columns say `yes`.
        let fonts = run("pdffonts", &[path]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{h}: no fonts");
        for r in rows {
            let cols: Vec<&str> = r.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{h}: {r}");
        }
        let text = run("pdftotext", &["-enc", "UTF-8", path, "-"]);
        let n = pages(&pdf);
        total += n;
        // Kazakh first, then Russian, each on pages of its own, a draft marked on every page.
        let kk = text.find("ЖСН/БСН").unwrap_or_else(|| panic!("{h}: no Kazakh half:\n{text}"));
        let ru = text.find("ИИН/БИН").unwrap_or_else(|| panic!("{h}: no Russian half:\n{text}"));
        assert!(kk < ru, "{h}");
        assert_eq!(text.matches("ЖОБА / ПРОЕКТ").count(), n, "{h}: the draft mark on each of {n} pages");
        assert!(text.contains("электрондық цифрлық қолтаңба"), "{h}");
        assert!(text.contains("электронной цифровой подписью"), "{h}");
        if text.contains("дәлелді бас тарту") {
            assert!(n <= 4, "{h}: a refusal of {n} pages");
            assert!(
                text.contains("Құқықтық негіз: Субсидиялау қағидалары") || text.contains("Құқықтық негіз: "),
                "{h}"
            );
        }
    }
    // The batch's PDF holds every notice's pages.
    assert_eq!(pages(&bundle), total);
    let all = run("pdftotext", &["-enc", "UTF-8", bundle.to_str().unwrap(), "-"]);
    for letter in ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "і"] {
        assert!(all.contains(letter), "the letter {letter} does not come back from the PDFs");
    }
}
