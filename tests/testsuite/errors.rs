//! Bad input: every problem reported in one run with `path:line:col`, a stable code and text
//! in both languages; exit code 1; and the previous `site/` left exactly as it was.

use crate::harness::Repo;

/// A dataset.toml with one of each mistake of issue 2's acceptance list.
const BROKEN: &str = r#"titel = "Dân số"
title = "Dân số theo tỉnh năm 2024"
description = "Dân số trung bình của từng tỉnh, thành phố năm 2024, số liệu tổng hợp phục vụ kiểm thử."
publisher = "so-y-te"
theme = ["dan-cu"]
keywords = 5

[[resources]]
id = "dan-so"
title = "Dân số"
path = "../tinh/tinh.csv"

[[resources]]
id = "passwd"
title = "Mật khẩu"
path = "/etc/passwd"
"#;

#[test]
fn every_problem_in_one_run_and_the_site_untouched() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["build"]).code, 0);
    let before = repo.tree("site");

    repo.write("datasets/dan-so/dataset.toml", BROKEN);
    let run = repo.odp(&["build", "--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, EXPECTED_SHORT);
    assert_eq!(
        repo.tree("site"),
        before,
        "a failed build must not touch site/"
    );
    let leftovers: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".odp-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");
}

const EXPECTED_SHORT: &str = "PLACEHOLDER";
