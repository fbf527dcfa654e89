//! `odp new`: the scaffold's exact text; with the required values given as flags and a data file
//! added, it passes `odp check` with only the two reminders (README stub, keywords); without
//! them, `odp check` names every missing key; bad ids and existing folders are refused.

use crate::harness::{Repo, manifest_dir};

const README_STUB: &str = "TODO: mô tả tập dữ liệu — describe the dataset\n";

#[test]
fn scaffolds_a_dataset_that_passes_check_once_its_data_file_is_added() {
    let repo = Repo::fixture("minimal");
    let run = repo.odp(&[
        "new",
        "co-so-y-te",
        "--publisher",
        "so-noi-vu",
        "--title",
        "Danh sách cơ sở y tế",
        "--theme",
        "dan-cu",
        "--frequency",
        "quarterly",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Đã tạo — created: datasets/co-so-y-te/dataset.toml, datasets/co-so-y-te/README.md\n\
         Tiếp theo — next:\n\
         \x20 1. chép tệp dữ liệu vào datasets/co-so-y-te/ — copy the data file into datasets/co-so-y-te/\n\
         \x20 2. odp infer datasets/co-so-y-te/<tệp>.csv — đề xuất từ điển dữ liệu; dán thay khối [[resources]] mẫu \
         — proposes the data dictionary; paste it over the sample [[resources]] block\n\
         \x20 3. điền các khóa còn thiếu trong dataset.toml và viết README.md — fill in the missing keys of \
         dataset.toml and write README.md\n\
         \x20 4. odp check datasets/co-so-y-te\n"
    );
    let expected = std::fs::read_to_string(manifest_dir().join("tests/fixtures/new/co-so-y-te.dataset.toml")).unwrap();
    assert_eq!(repo.read("datasets/co-so-y-te/dataset.toml"), expected);
    assert_eq!(repo.read("datasets/co-so-y-te/README.md"), README_STUB);

    // Before the data file: the resource points at a file that is not there yet.
    let check = repo.odp(&["check", "datasets/co-so-y-te", "--format", "short"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("datasets/co-so-y-te/dataset.toml:79:8: error[E0302]: "), "{}", check.stderr);

    repo.write("datasets/co-so-y-te/du-lieu.csv", "ma,ten\n01,Bệnh viện Đa khoa tỉnh\n02,Trung tâm Y tế Phú Vang\n");
    let check = repo.odp(&["check", "--format", "short"]);
    assert_eq!(check.code, 0);
    assert_eq!(
        check.stderr,
        "datasets/co-so-y-te/dataset.toml:1:1: warning[W0101]: mô tả chỉ có 46 ký tự; cần ít nhất 50 để Google \
         Dataset Search hiển thị — the description has 46 characters; Google Dataset Search needs at least 50\n\
         datasets/co-so-y-te/dataset.toml:1:1: warning[W0103]: nên có `keywords` để người dùng tìm thấy bộ dữ \
         liệu — add `keywords` so people can find the dataset\n"
    );
}

#[test]
fn without_flags_check_names_every_missing_required_key() {
    let repo = Repo::fixture("minimal");
    assert_eq!(repo.odp(&["new", "moi"]).code, 0);
    let text = repo.read("datasets/moi/dataset.toml");
    for line in ["# title = \"\"\n", "# publisher = \"\"\n", "# theme = [\"\"]\n", "# frequency = \"\"\n"] {
        assert!(text.contains(line), "{line}");
    }
    repo.write("datasets/moi/du-lieu.csv", "ma,ten\n01,A\n");
    let check = repo.odp(&["check", "datasets/moi", "--format", "short"]);
    assert_eq!(check.code, 1);
    let codes: Vec<&str> = check.stderr.lines().map(|l| l.split(": ").nth(1).unwrap_or(l)).collect();
    assert_eq!(
        codes,
        [
            "error[E0104]",
            "error[E0104]",
            "error[E0104]",
            "error[E0104]",
            "warning[W0101]",
            "warning[W0103]",
            "error[E0104]"
        ],
        "{}",
        check.stderr
    );
    for key in ["`title` trong dataset.toml", "`publisher`", "`theme`", "`frequency`", "`title` trong [[resources]] #1"]
    {
        assert!(check.stderr.contains(&format!("thiếu khóa bắt buộc {key}")), "{key}: {}", check.stderr);
    }
}

#[test]
fn refuses_bad_ids_and_existing_folders() {
    let repo = Repo::fixture("minimal");
    let before = repo.tree("datasets");

    let run = repo.odp(&["new", "Cơ sở"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: mã tập dữ liệu `Cơ sở` không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu `-` (ví dụ \
         `co-so-kham-chua-benh`) — invalid dataset id `Cơ sở`: use lowercase ASCII letters, digits and `-` \
         (e.g. `co-so-kham-chua-benh`)\n"
    );
    let run = repo.odp(&["new", "tinh"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `datasets/tinh` đã có; không ghi đè — `datasets/tinh` already exists; nothing was overwritten\n"
    );
    let run = repo.odp(&["new", "dan-so-cu"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `dan-so-cu` là mã cũ (alias) của tập dữ liệu `dan-so`; hãy chọn mã khác — `dan-so-cu` is an alias \
         of the dataset `dan-so`; choose another id\n"
    );
    let run = repo.odp(&["new", "x", "--frequency", "hằng quý"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: tần suất cập nhật `hằng quý` không hợp lệ"), "{}", run.stderr);
    assert_eq!(repo.tree("datasets"), before, "nothing written");
}

#[test]
fn an_unknown_publisher_is_written_with_a_warning() {
    let repo = Repo::fixture("minimal");
    let run = repo.odp(&["new", "x", "--publisher", "so-y-te"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.starts_with(
            "warning: chưa có content/publishers/so-y-te.md: hãy thêm tệp đó trong cùng yêu cầu hợp nhất — \
             content/publishers/so-y-te.md does not exist yet: add it in the same pull request\n"
        ),
        "{}",
        run.stderr
    );
    assert!(repo.read("datasets/x/dataset.toml").contains("\npublisher = \"so-y-te\"\n"));
}
