//! Tokens of a text: digit runs, words, runs of white space and single symbols, each with its byte
//! range in the text. One pass, linear in the text.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// ASCII digits.
    Digits,
    /// Letters (any script).
    Word,
    /// White space; `grouping` when it is one character that groups thousands (space, no-break
    /// space, narrow no-break space, thin space).
    Space { grouping: bool },
    /// Any other character.
    Symbol(char),
}

/// A token and where it is.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Words: lower case without accents (`più` → `piu`, `Verfügbar` → `verfugbar`); else empty.
    pub(super) folded: String,
}

impl Token {
    pub(super) fn is_digits(&self) -> bool {
        self.kind == Kind::Digits
    }

    pub(super) fn is_symbol(&self, c: char) -> bool {
        self.kind == Kind::Symbol(c)
    }

    pub(super) fn is_space(&self) -> bool {
        matches!(self.kind, Kind::Space { .. })
    }

    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Digit,
    Alpha,
    Space,
    Symbol,
}

fn class_of(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_alphabetic() {
        Class::Alpha
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Symbol
    }
}

/// Characters that group thousands when they stand alone between digit groups.
pub(super) fn is_grouping_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// The tokens of `text`, in order.
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let class = class_of(c);
        if class == Class::Symbol {
            out.push(Token {
                kind: Kind::Symbol(c),
                start,
                end: start + c.len_utf8(),
                folded: String::new(),
            });
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut count = 1usize;
        while let Some(&(i, d)) = chars.peek() {
            if class_of(d) != class {
                break;
            }
            end = i + d.len_utf8();
            count += 1;
            chars.next();
        }
        let kind = match class {
            Class::Digit => Kind::Digits,
            Class::Alpha => Kind::Word,
            _ => Kind::Space {
                grouping: count == 1 && is_grouping_space(c),
            },
        };
        let folded = if class == Class::Alpha {
            fold(text.get(start..end).unwrap_or(""))
        } else {
            String::new()
        };
        out.push(Token {
            kind,
            start,
            end,
            folded,
        });
    }
    out
}

/// Lower case, accents of the five languages taken off, `ß` → `ss`.
pub(super) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'ß' => out.push_str("ss"),
            'œ' => out.push_str("oe"),
            other => out.push(other),
        }
    }
    out
}
