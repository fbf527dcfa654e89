#!/usr/bin/env python3
"""Generate N synthetic Vietnamese open-data datasets as Hugo content.

Recreation of the (lost) bench/gen_datasets.py described in
/work/shared/PERF-NOTES.md ("Input"):
  * seed 42;
  * each dataset: Vietnamese title, 2-5 sentences of notes (Markdown body),
    1-4 resources (name, url, format) -- stored under the front-matter key
    `distributions`, because `resources` is reserved in Hugo --, a license,
    1-2 of JKAN's 14 categories, an organization, maintainer and e-mail;
  * max(5, N // 50) organizations (5, 20, 100 for N = 100, 1000, 5000);
  * organizations and categories are Hugo taxonomies; terms are ASCII slugs,
    each term's _index.md carries the Vietnamese display title.

Usage: python3 gen.py [-n 5000] [--site /tmp/hugo-bench/site]
Only content/ inside the site is (re)written; config and layouts are left alone.
"""
import argparse
import os
import random
import shutil
import unicodedata

SEED = 42

# JKAN's 14 categories (timwis/jkan _categories/*.md), ASCII slug -> Vietnamese title
CATEGORIES = [
    ("arts-culture-history", "Nghệ thuật, văn hóa và lịch sử"),
    ("budget-finance", "Ngân sách và tài chính"),
    ("economy", "Kinh tế"),
    ("education", "Giáo dục"),
    ("elections-politics", "Bầu cử và chính trị"),
    ("environment", "Môi trường"),
    ("food", "Thực phẩm"),
    ("health-human-services", "Y tế và dịch vụ xã hội"),
    ("parks-recreation", "Công viên và giải trí"),
    ("planning-zoning", "Quy hoạch và phân khu"),
    ("public-safety", "An toàn công cộng"),
    ("real-estate-land-records", "Bất động sản và hồ sơ đất đai"),
    ("transportation", "Giao thông vận tải"),
    ("uncategorized", "Chưa phân loại"),
]

# id -> (title, url); written to data/licenses.yaml for the templates
LICENSES = [
    ("cc-by-4.0", "Creative Commons Ghi công 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("cc-by-sa-4.0", "Creative Commons Ghi công – Chia sẻ tương tự 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("cc0-1.0", "CC0 1.0 – Dành cho công chúng", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("odc-by", "Giấy phép ghi công ODC-By", "https://opendatacommons.org/licenses/by/1-0/"),
    ("odbl", "Giấy phép cơ sở dữ liệu mở ODbL", "https://opendatacommons.org/licenses/odbl/1-0/"),
    ("pddl", "Giấy phép dành cho công chúng PDDL", "https://opendatacommons.org/licenses/pddl/1-0/"),
]

PROVINCES = [
    "Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
    "Quảng Ninh", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Nam Định",
    "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị",
    "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận",
    "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng",
    "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa – Vũng Tàu",
    "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp",
    "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau",
    "Lào Cai", "Yên Bái", "Điện Biên", "Lai Châu", "Sơn La", "Hòa Bình",
    "Hà Giang", "Cao Bằng", "Bắc Kạn", "Lạng Sơn", "Tuyên Quang", "Thái Nguyên",
    "Phú Thọ", "Bắc Giang", "Vĩnh Phúc", "Hà Nam",
]

DEPARTMENTS = [
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tài chính", "Sở Kế hoạch và Đầu tư",
    "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường", "Sở Xây dựng",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Công Thương", "Sở Lao động – Thương binh và Xã hội", "Sở Thông tin và Truyền thông",
    "Cục Thống kê", "Sở Tư pháp", "Sở Khoa học và Công nghệ",
]

# topic phrase, preferred category slug
TOPICS = [
    ("Danh sách trường học", "education"),
    ("Kết quả thi tốt nghiệp trung học phổ thông", "education"),
    ("Số lượng giáo viên theo cấp học", "education"),
    ("Danh mục cơ sở khám chữa bệnh", "health-human-services"),
    ("Số ca mắc bệnh truyền nhiễm", "health-human-services"),
    ("Tỷ lệ tiêm chủng mở rộng", "health-human-services"),
    ("Dự toán ngân sách địa phương", "budget-finance"),
    ("Quyết toán chi thường xuyên", "budget-finance"),
    ("Thu ngân sách nhà nước", "budget-finance"),
    ("Chỉ số giá tiêu dùng", "economy"),
    ("Danh sách doanh nghiệp đăng ký mới", "economy"),
    ("Giá trị sản xuất công nghiệp", "economy"),
    ("Kết quả bầu cử đại biểu Hội đồng nhân dân", "elections-politics"),
    ("Danh sách đơn vị bầu cử", "elections-politics"),
    ("Chất lượng không khí", "environment"),
    ("Quan trắc chất lượng nước mặt", "environment"),
    ("Lượng mưa và nhiệt độ", "environment"),
    ("Giá lúa gạo và nông sản", "food"),
    ("Cơ sở an toàn thực phẩm", "food"),
    ("Di tích lịch sử – văn hóa", "arts-culture-history"),
    ("Lễ hội truyền thống", "arts-culture-history"),
    ("Danh sách công viên và vườn hoa", "parks-recreation"),
    ("Điểm du lịch và khu vui chơi", "parks-recreation"),
    ("Quy hoạch sử dụng đất", "planning-zoning"),
    ("Quy hoạch phân khu đô thị", "planning-zoning"),
    ("Số vụ tai nạn giao thông", "public-safety"),
    ("Vụ cháy nổ và cứu nạn", "public-safety"),
    ("Bảng giá đất", "real-estate-land-records"),
    ("Cấp giấy chứng nhận quyền sử dụng đất", "real-estate-land-records"),
    ("Tuyến xe buýt và điểm dừng", "transportation"),
    ("Lưu lượng phương tiện qua trạm thu phí", "transportation"),
    ("Đăng ký phương tiện giao thông", "transportation"),
    ("Danh bạ cơ quan hành chính", "uncategorized"),
    ("Thủ tục hành chính công", "uncategorized"),
]

PERIODS = ["năm {y}", "năm {y}", "giai đoạn {y}–{y5}", "quý {q}/{y}", "tháng {m}/{y}", "6 tháng đầu năm {y}"]

FORMATS = [("CSV", "csv"), ("CSV", "csv"), ("XLSX", "xlsx"), ("JSON", "json"), ("PDF", "pdf"),
           ("GeoJSON", "geojson"), ("XML", "xml"), ("ZIP", "zip"), ("API", "api")]

RES_NAMES = ["Dữ liệu chính", "Bảng tổng hợp", "Dữ liệu chi tiết", "Từ điển dữ liệu",
             "Bản đồ", "Báo cáo kèm theo", "Dữ liệu theo quận, huyện", "Dịch vụ truy vấn"]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Ngọc", "Đức", "Thu", "Quang", "Hoài", "Bảo", "Xuân"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn",
         "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Yến"]

SENTENCES = [
    "Bộ dữ liệu này do {org} thu thập và công bố trên cổng dữ liệu mở.",
    "Dữ liệu bao gồm thông tin về {topic_l} trên địa bàn {place}.",
    "Số liệu được tổng hợp từ báo cáo định kỳ của các đơn vị cấp huyện và cấp xã.",
    "Dữ liệu được cập nhật hằng {freq} và có thể có độ trễ so với thực tế.",
    "Người dùng có thể tải xuống dữ liệu ở các định dạng phổ biến để phân tích.",
    "Một số trường thông tin đã được ẩn danh để bảo vệ dữ liệu cá nhân theo quy định hiện hành.",
    "Đơn vị tính và phương pháp tính được mô tả trong từ điển dữ liệu kèm theo.",
    "Mọi thắc mắc về nội dung dữ liệu xin liên hệ đầu mối {maintainer}.",
    "Dữ liệu phục vụ công tác quản lý nhà nước, nghiên cứu và phát triển ứng dụng.",
    "Các giá trị trống thể hiện chỉ tiêu chưa được thu thập trong kỳ báo cáo.",
    "Tên đơn vị hành chính được ghi theo danh mục đơn vị hành chính Việt Nam.",
    "Phiên bản trước của bộ dữ liệu vẫn được lưu trữ để phục vụ tra cứu.",
    "Tọa độ địa lý được ghi theo hệ quy chiếu VN-2000 và WGS 84.",
    "Dữ liệu đã được kiểm tra, đối chiếu với số liệu của Cục Thống kê {place}.",
]
FREQS = ["ngày", "tuần", "tháng", "quý", "năm"]


def slugify(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    out, dash = [], False
    for c in text.lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def yq(s):
    """YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5000, help="number of datasets (default 5000)")
    ap.add_argument("--site", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "site"))
    args = ap.parse_args()
    n = args.n
    rng = random.Random(SEED)

    # Organizations: a fixed pool (department x province), shuffled with the seed.
    pool = [f"{d} {'' if p.startswith('Thành phố') else ('thành phố ' if p in ('Hà Nội', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế') else 'tỉnh ')}{p}".replace("  ", " ")
            for d in DEPARTMENTS for p in PROVINCES]
    rng.shuffle(pool)
    n_orgs = max(5, n // 50)
    orgs = []
    for name in pool[:n_orgs]:
        orgs.append((slugify(name), name, "".join(w[0] for w in slugify(name).split("-"))))

    content = os.path.join(args.site, "content")
    if os.path.isdir(content):
        shutil.rmtree(content)
    ds_dir = os.path.join(content, "datasets")
    os.makedirs(ds_dir)
    with open(os.path.join(content, "_index.md"), "w", encoding="utf-8") as f:
        f.write('---\ntitle: "Cổng dữ liệu mở"\n---\n')
    with open(os.path.join(ds_dir, "_index.md"), "w", encoding="utf-8") as f:
        f.write('---\ntitle: "Bộ dữ liệu"\n---\n')
    for tax, title, terms in (("organizations", "Tổ chức", [(s, t) for s, t, _ in orgs]),
                              ("categories", "Lĩnh vực", CATEGORIES)):
        os.makedirs(os.path.join(content, tax))
        with open(os.path.join(content, tax, "_index.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {yq(title)}\n---\n")
        for slug, name in terms:
            os.makedirs(os.path.join(content, tax, slug))
            with open(os.path.join(content, tax, slug, "_index.md"), "w", encoding="utf-8") as f:
                f.write(f"---\ntitle: {yq(name)}\n---\n")

    data_dir = os.path.join(args.site, "data")
    os.makedirs(data_dir, exist_ok=True)
    with open(os.path.join(data_dir, "licenses.yaml"), "w", encoding="utf-8") as f:
        for lid, title, url in LICENSES:
            f.write(f"{lid}:\n  title: {yq(title)}\n  url: {yq(url)}\n")

    cat_slugs = [s for s, _ in CATEGORIES]
    for i in range(1, n + 1):
        topic, tcat = rng.choice(TOPICS)
        place = rng.choice(PROVINCES)
        y = rng.randint(2015, 2024)
        period = rng.choice(PERIODS).format(y=y, y5=y + 5, q=rng.randint(1, 4), m=rng.randint(1, 12))
        title = f"{topic} {place} {period}"
        slug = f"{slugify(title)}-{i:05d}"
        org_slug, org_name, org_abbr = rng.choice(orgs)
        cats = [tcat] if rng.random() < 0.7 else [rng.choice(cat_slugs)]
        if rng.random() < 0.4:
            extra = rng.choice(cat_slugs)
            if extra not in cats:
                cats.append(extra)
        lic = rng.choice(LICENSES)[0]
        sur, mid, giv = rng.choice(SURNAMES), rng.choice(MIDDLE), rng.choice(GIVEN)
        maintainer = f"{sur} {mid} {giv}"
        email = f"{slugify(giv)}.{slugify(sur)}{rng.randint(1, 99)}@{org_abbr}.gov.vn"
        dists = []
        for k in range(rng.randint(1, 4)):
            fmt, ext = rng.choice(FORMATS)
            rname = f"{rng.choice(RES_NAMES)} ({fmt})"
            if fmt == "API":
                url = f"https://api.data.gov.vn/{org_abbr}/{slug}"
            else:
                url = f"https://data.gov.vn/files/{org_abbr}/{slug}/{k + 1}.{ext}"
            dists.append((rname, url, fmt))
        k = rng.randint(2, 5)
        sentences = rng.sample(SENTENCES, k)
        notes = " ".join(s.format(org=org_name, topic_l=topic[0].lower() + topic[1:], place=place,
                                  freq=rng.choice(FREQS), maintainer=maintainer) for s in sentences)

        fm = ["---", f"title: {yq(title)}", f"organizations: [{org_slug}]",
              "categories: [" + ", ".join(cats) + "]", f"license: {lic}",
              f"maintainer: {yq(maintainer)}", f"maintainer_email: {yq(email)}", "distributions:"]
        for rname, url, fmt in dists:
            fm += [f"  - name: {yq(rname)}", f"    url: {yq(url)}", f"    format: {fmt}"]
        fm += ["---", notes, ""]
        with open(os.path.join(ds_dir, slug + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(fm))
    print(f"wrote {n} datasets, {n_orgs} organizations, {len(CATEGORIES)} categories to {content}")


if __name__ == "__main__":
    main()
