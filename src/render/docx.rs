//! Word output (`render --format docx`). The HTML template stays the source
//! of the content, so a school's override of `plan.html.j2` shapes its Word
//! document too: the rendered page is read back as a small tree (headings,
//! paragraphs, lists, tables, answer boxes) and written as a real Word
//! document with docx-rs: Word's heading styles, bordered tables with column
//! widths from their content, answer boxes as empty bordered cells, A4 (or
//! A4 landscape), and the printed page's footer (name, "Confidential", "Page
//! N of M" as Word fields). Charts are drawn in HTML only; their data tables
//! carry the same figures.

use crate::error::Error;
use docx_rs::{
    AbstractNumbering, BreakType, Docx, FieldCharType, Footer, HeightRule, IndentLevel, InstrNUMPAGES, InstrPAGE,
    InstrText, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId, PageMargin, PageOrientationType,
    Paragraph, Run, RunFonts, Shading, ShdType, SpecialIndentType, Start, Style, StyleType, Tab, TabValueType, Table,
    TableCell, TableCellMargins, TableLayoutType, TableRow, TextDirectionType, WidthType,
};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
const MARGIN: i32 = 850;
/// Not 1: docx-rs writes a default decimal list with the ids 1, and a second
/// definition under the same id makes Word and LibreOffice number the bullets.
const BULLETS: usize = 2;

/// One element of the page, as the converter needs it.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Element { tag: String, class: String, children: Vec<Node> },
    Text(String),
}

/// A page rendered from a built-in or school template, as a Word document.
/// docx-rs numbers paragraphs (`w14:paraId`) from one counter for the whole
/// process and resets it when a document is built: two documents made at
/// once (`senco serve` answers requests on several threads) would number
/// each other's paragraphs. One document at a time keeps every document the
/// same bytes as the command's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn html_to_docx(html: &str, footer: &str, landscape: bool) -> Result<Vec<u8>, Error> {
    // A panic while holding the lock leaves nothing half-made: the counter is reset at every build.
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let tree = parse(html);
    let body = find(&tree, "body").map_or(tree.as_slice(), |b| children(b));
    let (w, h) = if landscape { (A4.1, A4.0) } else { A4 };
    let text_width = w as usize - 2 * MARGIN as usize;
    let mut doc = Docx::new()
        .page_size(w, h)
        .page_margin(PageMargin {
            top: MARGIN,
            left: MARGIN,
            bottom: MARGIN + 200,
            right: MARGIN,
            header: 425,
            footer: 425,
            gutter: 0,
        })
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(21)
        .add_style(heading("Heading1", "heading 1", 36, 1))
        .add_style(heading("Heading2", "heading 2", 28, 2))
        .add_style(heading("Heading3", "heading 3", 23, 3))
        // The footer's small grey type, for its page-number fields too.
        .add_style(Style::new("Footer", StyleType::Paragraph).name("footer").size(17).color("555555"))
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(0, Start::new(1), NumberFormat::new("bullet"), LevelText::new("•"), LevelJc::new("left"))
                    .indent(Some(360), Some(SpecialIndentType::Hanging(240)), None, None),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .footer(page_footer(footer, text_width));
    if landscape {
        doc = doc.page_orient(PageOrientationType::Landscape);
    }
    let mut blocks = Vec::new();
    for n in body {
        block(n, text_width, &mut blocks);
    }
    let mut after_table = false;
    for b in blocks {
        doc = match b {
            Block::P(p) => doc.add_paragraph(*p),
            // Two tables side by side in the XML are one table to Word: a small gap keeps them two.
            Block::T(t) if after_table => doc.add_paragraph(Paragraph::new().size(8)).add_table(*t),
            Block::T(t) => doc.add_table(*t),
        };
        after_table = matches!(doc.document.children.last(), Some(docx_rs::DocumentChild::Table(_)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| Error::usage(format!("could not write the Word document: {e}"), None))?;
    Ok(out.into_inner())
}

fn heading(id: &str, name: &str, size: usize, level: usize) -> Style {
    // Room above a heading (more for higher levels), a little below.
    let before = [0, 240, 200, 140][level.min(3)];
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .size(size)
        .bold()
        .color("1D4E89")
        .outline_lvl(level - 1)
        .line_spacing(docx_rs::LineSpacing::new().before(before).after(80))
}

fn page_footer(name: &str, width: usize) -> Footer {
    let small = |t: &str| Run::new().add_text(t).size(17).color("555555");
    Footer::new().add_paragraph(
        Paragraph::new()
            .style("Footer")
            .add_tab(Tab::new().val(TabValueType::Center).pos(width / 2))
            .add_tab(Tab::new().val(TabValueType::Right).pos(width))
            .add_run(small(name))
            .add_run(Run::new().add_tab())
            .add_run(small("Confidential").bold())
            .add_run(Run::new().add_tab())
            .add_run(small("Page "))
            .add_run(field(small(""), InstrText::PAGE(InstrPAGE {})))
            .add_run(small(" of "))
            .add_run(field(small(""), InstrText::NUMPAGES(InstrNUMPAGES {}))),
    )
}

/// A page-number field in the footer's own small grey type (docx-rs's
/// `PageNum` and `NumPages` print in the body size, larger than the words
/// around them).
fn field(run: Run, instr: InstrText) -> Run {
    run.add_field_char(FieldCharType::Begin, false)
        .add_instr_text(instr)
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false)
}

enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

fn children(n: &Node) -> &[Node] {
    match n {
        Node::Element { children, .. } => children,
        Node::Text(_) => &[],
    }
}

fn find<'a>(nodes: &'a [Node], tag: &str) -> Option<&'a Node> {
    for n in nodes {
        if let Node::Element { tag: t, children, .. } = n {
            if t == tag {
                return Some(n);
            }
            if let Some(f) = find(children, tag) {
                return Some(f);
            }
        }
    }
    None
}

/// The text of a node, whitespace collapsed.
fn text_of(n: &Node) -> String {
    let mut s = String::new();
    collect_text(n, &mut s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect_text(n: &Node, out: &mut String) {
    match n {
        Node::Text(t) => out.push_str(t),
        Node::Element { tag, children, .. } => {
            if matches!(tag.as_str(), "svg" | "style" | "script" | "title" | "head") {
                return;
            }
            if tag == "br" {
                out.push(' ');
            }
            for c in children {
                collect_text(c, out);
            }
        }
    }
}

/// The runs of a paragraph: bold for `strong`, `b` and `th`.
fn runs(n: &Node, bold: bool, out: &mut Vec<Run>) {
    match n {
        Node::Text(t) => {
            let t = collapse(t);
            if !t.is_empty() {
                let r = Run::new().add_text(t);
                out.push(if bold { r.bold() } else { r });
            }
        }
        Node::Element { tag, children, .. } => {
            if matches!(tag.as_str(), "svg" | "style" | "script" | "title") {
                return;
            }
            if tag == "br" {
                out.push(Run::new().add_break(BreakType::TextWrapping));
                return;
            }
            let bold = bold || matches!(tag.as_str(), "strong" | "b");
            for c in children {
                runs(c, bold, out);
            }
        }
    }
}

fn collapse(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !s.is_empty() {
                s.push(' ');
            }
            if space && s.is_empty() && t.starts_with(char::is_whitespace) {
                s.push(' ');
            }
            space = false;
            s.push(c);
        }
    }
    if space && !s.is_empty() {
        s.push(' ');
    }
    s
}

fn para(n: &Node, bold: bool) -> Paragraph {
    let mut rs = Vec::new();
    runs(n, bold, &mut rs);
    let mut p = Paragraph::new();
    for r in rs {
        p = p.add_run(r);
    }
    p
}

fn push_p(out: &mut Vec<Block>, p: Paragraph) {
    out.push(Block::P(Box::new(p)));
}

fn block(n: &Node, width: usize, out: &mut Vec<Block>) {
    let Node::Element { tag, class, children } = n else {
        if let Node::Text(t) = n {
            if !t.trim().is_empty() {
                push_p(out, Paragraph::new().add_run(Run::new().add_text(collapse(t).trim())));
            }
        }
        return;
    };
    match tag.as_str() {
        "h1" => push_p(out, para(n, false).style("Heading1").keep_next(true)),
        "h2" => push_p(out, para(n, false).style("Heading2").keep_next(true)),
        "h3" | "h4" | "caption" => push_p(out, para(n, false).style("Heading3").keep_next(true)),
        "p" | "figcaption" => {
            let p = para(n, false);
            push_p(out, if class.contains("note") || class.contains("meta") { p.italic().color("555555") } else { p });
        }
        "ul" | "ol" => {
            let items: Vec<&Node> =
                children.iter().filter(|li| matches!(li, Node::Element { tag, .. } if tag == "li")).collect();
            for (i, li) in items.iter().enumerate() {
                let p = para(li, false).numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
                // Room after the last item, so the next paragraph does not read as part of the list.
                let p = if i + 1 == items.len() { p.line_spacing(docx_rs::LineSpacing::new().after(120)) } else { p };
                push_p(out, p);
            }
        }
        "table" => {
            if class.contains("chart-data") {
                return;
            }
            if let Some(c) = children.iter().find(|c| matches!(c, Node::Element { tag, .. } if tag == "caption")) {
                push_p(out, para(c, true).keep_next(true));
            }
            out.push(Block::T(Box::new(table(n, width))));
        }
        "div" if class.contains("write") => out.push(Block::T(Box::new(answer_box(width)))),
        // Shown on screen only (`class="screen"`): a chart and its heading, whose figures a table carries;
        // likewise a group of charts under their headings (`class="charts"`).
        _ if class.split_whitespace().any(|c| c == "screen" || c == "charts") => {}
        // Charts: Word gets no picture of one, so neither its caption (which
        // would describe shading that is not there); the table beside each
        // chart carries its figures.
        "svg" | "style" | "script" | "head" | "title" | "figure" => {}
        _ => {
            for c in children {
                block(c, width, out);
            }
        }
    }
}

fn answer_box(width: usize) -> Table {
    Table::new(vec![TableRow::new(vec![TableCell::new().add_paragraph(Paragraph::new()).width(width, WidthType::Dxa)])
        .row_height(1000.0)
        .height_rule(HeightRule::AtLeast)])
    .set_grid(vec![width])
    .width(width, WidthType::Dxa)
}

/// A table with borders, header cells shaded and bold, and column widths
/// in proportion to their content (no column narrower than a long word).
fn table(n: &Node, width: usize) -> Table {
    // The provision map's grid (`class="grid"`) has many narrow columns: 8pt, not 10.5pt.
    let small = matches!(n, Node::Element { class, .. } if class.split_whitespace().any(|c| c == "grid"));
    // A sign-off (`class="sign"`): every row is a line to sign on, names filled in or not.
    let sign = matches!(n, Node::Element { class, .. } if class.split_whitespace().any(|c| c == "sign"));
    // Table text is 9.5pt (8pt in the grid); a character is about 115 (95) twips wide.
    let (char_w, line, size) = if small { (95, VERTICAL_LINE * 4 / 3, 16) } else { (115, VERTICAL_LINE, 19) };
    let mut rows: Vec<Vec<(&Node, bool, usize, bool)>> = Vec::new();
    collect_rows(n, &mut rows);
    let cols = rows.iter().map(|r| r.iter().map(|c| c.2).sum::<usize>()).max().unwrap_or(1).max(1);
    // Content weight per column: the longest line, and the longest word as a floor.
    let mut weight = vec![4usize; cols];
    let mut floor = vec![3usize; cols];
    let mut stood = vec![false; cols];
    for r in &rows {
        let mut i = 0;
        for (cell, _, span, _) in r {
            if *span == 1 && i < cols && vertical(cell) {
                stood[i] = true;
                // Written bottom to top: the column needs its lines' height, not the text's length.
                floor[i] = floor[i].max(4).max(2 * wrap(&text_of(cell), line).len());
            } else if *span == 1 && i < cols {
                let t = text_of(cell);
                weight[i] = weight[i].max(t.chars().count().min(60));
                // A date or phone number (`class="date"`) is read as one word.
                let word = if nowrap(cell) {
                    t.chars().count().min(20)
                } else {
                    t.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0).min(18)
                };
                floor[i] = floor[i].max(word);
                if sign {
                    // Room to write a name, a signature and a date by hand.
                    weight[i] = weight[i].max(14);
                }
            }
            i += span;
        }
    }
    let total: usize = weight.iter().sum();
    // A column is never narrower than its longest word (`char_w` twips a
    // character): a word split over two lines is not read.
    let floors: Vec<usize> = floor.iter().map(|f| f * char_w + 240).collect();
    // What each column would like: its share of the width by content; a
    // bottom-to-top column needs only its floor.
    let want: Vec<usize> = (0..cols)
        .map(|i| if stood[i] { floors[i] } else { (weight[i] * width / total.max(1)).max(floors[i]) })
        .collect();
    let (sum_want, sum_floor): (usize, usize) = (want.iter().sum(), floors.iter().sum());
    let grid: Vec<usize> = if sum_want <= width {
        want
    } else if sum_floor <= width {
        // Too wide: every column keeps its floor; the room left is shared in
        // proportion to what each wanted beyond it.
        let extra: usize = sum_want - sum_floor;
        (0..cols).map(|i| floors[i] + (want[i] - floors[i]) * (width - sum_floor) / extra.max(1)).collect()
    } else {
        floors.iter().map(|f| f * width / sum_floor).collect()
    };
    // A short table is kept on one page (each row kept with the next), as
    // the printed page keeps it; a long one breaks between rows.
    let keep = rows.len() <= KEEP_ROWS;
    let last = rows.len().saturating_sub(1);
    let trs: Vec<TableRow> = rows
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let mut i = 0;
            let cells: Vec<TableCell> = r
                .iter()
                .map(|(cell, head, span, _)| {
                    let w: usize = grid[i.min(cols - 1)..(i + span).min(cols)].iter().sum();
                    i += span;
                    let p = if vertical(cell) { vertical_para(cell, line) } else { para(cell, *head) };
                    let p = shrink(p, size).keep_next(keep && ri < last);
                    let mut c = TableCell::new().add_paragraph(p).width(w, WidthType::Dxa);
                    if *span > 1 {
                        c = c.grid_span(*span);
                    }
                    if vertical(cell) {
                        c = c.text_direction(TextDirectionType::BtLr);
                    }
                    if *head {
                        c = c.shading(Shading::new().shd_type(ShdType::Clear).color("auto").fill("F1F4F7"));
                    }
                    c
                })
                .collect();
            let tall = r.iter().any(|c| vertical(c.0));
            let answer = r.iter().any(|c| c.3)
                || (r.iter().all(|c| text_of(c.0).is_empty()) && !r.is_empty())
                || (sign && !r.iter().all(|c| c.1));
            let row = TableRow::new(cells).cant_split();
            if tall {
                row.row_height(2800.0).height_rule(HeightRule::AtLeast)
            } else if answer {
                row.row_height(560.0).height_rule(HeightRule::AtLeast)
            } else {
                row
            }
        })
        .collect();
    // A little room above and below the text of every cell, as the printed page has.
    Table::new(trs)
        .set_grid(grid)
        .width(width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(30, 100, 30, 100))
}

/// Characters in a line of a bottom-to-top header cell: Word and LibreOffice
/// do not wrap such text, so the lines are broken here (the row is 2800
/// twips tall, about 25 characters of bold 10.5pt).
const VERTICAL_LINE: usize = 24;

/// Words into lines of at most `width` characters (a longer word on its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= width => {
                l.push(' ');
                l.push_str(w);
            }
            _ => lines.push(w.to_string()),
        }
    }
    lines
}

/// A bottom-to-top header cell's text, bold, broken into lines.
fn vertical_para(n: &Node, width: usize) -> Paragraph {
    let mut p = Paragraph::new();
    for (i, line) in wrap(&text_of(n), width).into_iter().enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
        }
        p = p.add_run(Run::new().add_text(line).bold());
    }
    p
}

/// A paragraph's runs at `size` half-points.
fn shrink(mut p: Paragraph, size: usize) -> Paragraph {
    for c in p.children.iter_mut() {
        if let docx_rs::ParagraphChild::Run(r) = c {
            let run = std::mem::take(&mut **r);
            **r = run.size(size);
        }
    }
    p
}

/// Tables of up to this many rows are kept on one page in Word.
const KEEP_ROWS: usize = 12;

/// A cell kept on one line (`class="date"`: dates and phone numbers).
fn nowrap(n: &Node) -> bool {
    matches!(n, Node::Element { class, .. } if class.split_whitespace().any(|c| c == "date"))
}

/// A header cell written bottom to top (`class="vertical"`), as in the provision map's grid.
fn vertical(n: &Node) -> bool {
    matches!(n, Node::Element { class, .. } if class.split_whitespace().any(|c| c == "vertical"))
}

fn collect_rows<'a>(n: &'a Node, rows: &mut Vec<Vec<(&'a Node, bool, usize, bool)>>) {
    for c in children(n) {
        if let Node::Element { tag, .. } = c {
            match tag.as_str() {
                "tr" => {
                    let cells = children(c)
                        .iter()
                        .filter_map(|cell| match cell {
                            Node::Element { tag, class, .. } if tag == "td" || tag == "th" => {
                                let span = class
                                    .split_whitespace()
                                    .find_map(|c| c.strip_prefix("colspan=")?.parse::<usize>().ok())
                                    .unwrap_or(1)
                                    .clamp(1, 63);
                                Some((cell, tag == "th", span, class.contains("answer")))
                            }
                            _ => None,
                        })
                        .collect();
                    rows.push(cells);
                }
                "thead" | "tbody" | "tfoot" => collect_rows(c, rows),
                _ => {}
            }
        }
    }
}

// ------------------------------------------------------------ HTML reading

/// How deep the tree goes: three times our deepest document (8 levels), and
/// shallow enough for a thread's stack however the readers below recurse.
const MAX_DEPTH: usize = 24;

/// Reads the HTML our templates write (well-formed, no scripts) into a tree.
/// Unknown or unbalanced tags are tolerated: a school's template may be
/// looser than ours, and the worst case is a flatter document.
fn parse(html: &str) -> Vec<Node> {
    let mut stack: Vec<(String, String, Vec<Node>)> = vec![(String::new(), String::new(), Vec::new())];
    let mut rest = html;
    const VOID: &[&str] = &["br", "meta", "link", "img", "hr", "input", "col", "circle", "line", "rect", "polyline"];
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = match rest.find('>') {
                    Some(e) => e,
                    None => break,
                };
                let inner = &rest[1..end];
                rest = &rest[end + 1..];
                if inner.starts_with('!') || inner.starts_with('?') {
                    continue;
                }
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    if let Some(pos) = stack.iter().rposition(|(t, _, _)| *t == name) {
                        while stack.len() > pos {
                            let (tag, class, children) = stack.pop().unwrap_or_default();
                            if let Some(parent) = stack.last_mut() {
                                parent.2.push(Node::Element { tag, class, children });
                            }
                        }
                    }
                    continue;
                }
                let self_closing = inner.ends_with('/');
                let inner = inner.trim_end_matches('/');
                let name: String = inner.split(|c: char| c.is_whitespace()).next().unwrap_or("").to_ascii_lowercase();
                let mut class = attr(inner, "class").unwrap_or_default();
                // A cell's `colspan` rides in its class as ` colspan=N`, read back by `collect_rows`.
                if let Some(n) = attr(inner, "colspan").and_then(|n| n.trim().parse::<usize>().ok()) {
                    class.push_str(&format!(" colspan={n}"));
                }
                if name == "style" || name == "script" || name == "title" {
                    let close = format!("</{name}>");
                    let skip = rest.find(&close).map_or(rest.len(), |i| i + close.len());
                    rest = &rest[skip..];
                    continue;
                }
                if self_closing || VOID.contains(&name.as_str()) {
                    if let Some(parent) = stack.last_mut() {
                        parent.2.push(Node::Element { tag: name, class, children: Vec::new() });
                    }
                } else if stack.len() < MAX_DEPTH {
                    stack.push((name, class, Vec::new()));
                }
                // Deeper elements lend their text to the one they are in: a
                // school's template nesting thousands deep makes a flat
                // paragraph, never a stack overflow in the readers below.
            }
            Some(i) => {
                if let Some(parent) = stack.last_mut() {
                    parent.2.push(Node::Text(decode(&rest[..i])));
                }
                rest = &rest[i..];
            }
            None => {
                if let Some(parent) = stack.last_mut() {
                    parent.2.push(Node::Text(decode(rest)));
                }
                rest = "";
            }
        }
    }
    while stack.len() > 1 {
        let (tag, class, children) = stack.pop().unwrap_or_default();
        if let Some(parent) = stack.last_mut() {
            parent.2.push(Node::Element { tag, class, children });
        }
    }
    stack.pop().map(|s| s.2).unwrap_or_default()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')?;
    Some(decode(&tag[i..i + j]))
}

/// The entities minijinja's HTML escaping writes, and numeric ones.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn xml(bytes: &[u8], part: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
        let mut f = zip.by_name(part).expect(part);
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        s
    }

    const PAGE: &str = "<!DOCTYPE html><html><head><title>T</title><style>p { x: 1 }</style></head><body>\
        <h1>Annual review: Ava &amp; Co</h1><p class=\"meta\">Prepared 1 May 2026.</p>\
        <h2>Views</h2><div class=\"write\"></div><ul><li>One</li><li>Two</li></ul>\
        <table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th></tr></thead>\
        <tbody><tr><td>Mrs S. Brown</td><td>Parent</td></tr><tr><td></td><td></td></tr></tbody></table>\
        <figure><svg><title>chart</title><text>axis</text></svg><figcaption>Reading</figcaption></figure>\
        <table class=\"chart-data\"><tr><td>hidden</td></tr></table></body></html>";

    #[test]
    fn the_word_document_reads_back_with_headings_tables_and_footer() {
        let bytes = html_to_docx(PAGE, "Ava Brown", false).unwrap();
        let doc = xml(&bytes, "word/document.xml");
        assert!(doc.contains("<w:pStyle w:val=\"Heading1\" />"), "{doc}");
        assert!(doc.contains("Annual review: Ava &amp; Co"));
        assert!(doc.contains("<w:pStyle w:val=\"Heading2\" />"));
        assert!(doc.contains("<w:tbl>"), "real tables");
        assert!(doc.contains("Mrs S. Brown") && doc.contains("<w:numId w:val=\"2\" />"));
        let two = &doc[doc.find(">Two<").unwrap() - 700..doc.find(">Two<").unwrap()];
        assert!(two.contains("w:after=\"120\""), "room after a list's last item: {two}");
        assert!(doc.contains("w:w=\"11906\"") && doc.contains("w:h=\"16838\""), "A4 portrait");
        assert!(!doc.contains("hidden") && !doc.contains("axis") && !doc.contains("p { x"), "{doc}");
        assert!(!doc.contains("Reading"), "a chart's caption goes with the chart: {doc}");
        assert!(doc.contains("<w:top w:w=\"30\" w:type=\"dxa\" />"), "cells have room above the text: {doc}");
        let styles = xml(&bytes, "word/styles.xml");
        assert!(styles.contains("heading 1"));
        let footer = xml(&bytes, "word/footer1.xml");
        assert!(footer.contains("Ava Brown") && footer.contains("Confidential"));
        assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"), "{footer}");
    }

    #[test]
    fn landscape_swaps_the_page() {
        let bytes = html_to_docx("<body><p>x</p></body>", "School", true).unwrap();
        let doc = xml(&bytes, "word/document.xml");
        assert!(doc.contains("w:w=\"16838\"") && doc.contains("w:orient=\"landscape\""), "{doc}");
    }

    #[test]
    fn html_nested_far_too_deep_is_flattened_not_a_stack_overflow() {
        let deep = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div><span>".repeat(200_000),
            "</span></div>".repeat(1000)
        );
        let tree = parse(&deep);
        fn depth(n: &[Node]) -> usize {
            n.iter()
                .map(|n| match n {
                    Node::Element { children, .. } => 1 + depth(children),
                    Node::Text(_) => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&tree) <= MAX_DEPTH, "{}", depth(&tree));
        let bytes = html_to_docx(&deep, "Name", false).unwrap();
        assert!(xml(&bytes, "word/document.xml").contains("deep text"));
    }

    #[test]
    fn entities_and_loose_html_do_not_panic() {
        assert_eq!(decode("a &amp; b &#x27;c&#39; &bogus; &"), "a & b 'c' &bogus; &");
        for bad in ["<p", "</div></p>", "<table><tr><td>x", "<<>>", "&#xFFFFFFFF;", "<p class=\"a>b</p>"] {
            let _ = html_to_docx(bad, "x", false).unwrap();
        }
    }

    #[test]
    fn bullets_are_bullets_not_numbers() {
        let bytes = html_to_docx("<body><ul><li>a</li></ul></body>", "x", false).unwrap();
        let numbering = xml(&bytes, "word/numbering.xml");
        // The list's abstract numbering is the only one with our id, and it is a bullet.
        let ours = &numbering[numbering.find("w:abstractNumId=\"2\"").expect("ours")..];
        let ours = &ours[..ours.find("</w:abstractNum>").unwrap_or(ours.len())];
        assert!(ours.contains("w:val=\"bullet\""), "{ours}");
        assert_eq!(numbering.matches("w:abstractNumId=\"2\"").count(), 1, "declared once: {numbering}");
        assert!(numbering.contains("<w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\" />"), "{numbering}");
    }

    #[test]
    fn columns_keep_their_longest_word_and_cells_span_and_stand() {
        let t = "<body><table class=\"grid\"><thead><tr><th colspan=\"2\">Wave 2</th><th>x</th></tr>\
                 <tr><th class=\"vertical\"><div>Phonics catch-up group</div></th><th class=\"vertical\">Reading</th><th>Impact</th></tr></thead>\
                 <tbody><tr><td>80</td><td></td><td>Listening skills group (Teacher of the Deaf programme): 2 to 6</td></tr></tbody></table>\
                 <table><tr><td>September</td><td>Communication</td><td>a b c d e f g h i j k l m n o p q r s t u v w x y z</td></tr></table></body>";
        let doc = xml(&html_to_docx(t, "x", false).unwrap(), "word/document.xml");
        assert!(doc.contains("<w:gridSpan w:val=\"2\" />"), "colspan becomes a grid span");
        assert!(doc.contains("w:textDirection w:val=\"btLr\""), "names bottom to top");
        // The second table's grid: no column narrower than its longest word at 115 twips a character.
        let second = &doc[doc.rfind("<w:tblGrid>").unwrap()..];
        let widths: Vec<usize> =
            second.split("<w:gridCol w:w=\"").skip(1).filter_map(|c| c.split('"').next()?.parse().ok()).collect();
        assert_eq!(widths.len(), 3);
        assert!(widths[0] >= 9 * 115 + 240 && widths[1] >= 13 * 115 + 240, "{widths:?}");
    }

    fn grid(doc: &str) -> Vec<usize> {
        doc.split("<w:gridCol w:w=\"").skip(1).filter_map(|c| c.split('"').next()?.parse().ok()).collect()
    }

    /// A date (`class="date"`) is one word: its column is never narrower than all of it.
    #[test]
    fn a_date_column_holds_the_whole_date() {
        let long = "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t";
        let t = format!(
            "<body><table><tr><td class=\"date\">18 November 2025</td><td>{long}</td><td>{long}</td></tr></table></body>"
        );
        let doc = xml(&html_to_docx(&t, "x", false).unwrap(), "word/document.xml");
        assert!(grid(&doc)[0] >= 16 * 115 + 240, "{:?}", grid(&doc));
        let plain = t.replace(" class=\"date\"", "");
        let doc = xml(&html_to_docx(&plain, "x", false).unwrap(), "word/document.xml");
        assert!(grid(&doc)[0] < 16 * 115 + 240, "without the class the date may wrap: {:?}", grid(&doc));
    }

    /// Two tables one after the other stay two tables (Word joins adjacent
    /// ones); a sign-off's rows are tall enough to sign on; a short table's
    /// rows are kept with the next, so it does not split over a page.
    #[test]
    fn tables_stay_apart_sign_offs_have_room_and_short_tables_hold_together() {
        let t = "<body><table><tr><td>One</td></tr><tr><td>Two</td></tr></table>\
                 <table class=\"sign\"><thead><tr><th>Name</th><th>Signature</th></tr></thead>\
                 <tbody><tr><td>Ms R. Patel</td><td></td></tr></tbody></table></body>";
        let doc = xml(&html_to_docx(t, "x", false).unwrap(), "word/document.xml");
        let between = &doc[doc.find("</w:tbl>").unwrap()..doc.rfind("<w:tbl>").unwrap()];
        assert!(between.contains("<w:p "), "a paragraph between the tables: {between}");
        let sign = &doc[doc.rfind("<w:tbl>").unwrap()..];
        let patel = &sign[..sign.find("Ms R. Patel").unwrap()];
        assert!(patel.contains("w:hRule=\"atLeast\"") && patel.contains("w:val=\"560\""), "{sign}");
        let first = &doc[..doc.find("</w:tbl>").unwrap()];
        assert_eq!(first.matches("<w:keepNext />").count(), 1, "row one kept with row two: {first}");
    }
}
