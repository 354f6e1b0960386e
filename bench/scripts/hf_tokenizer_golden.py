#!/usr/bin/env python3
"""Writes the golden ids and decodes of Hugging Face `tokenizers` for a tokenizer.json that curex trained.

Usage (any Python with `pip install tokenizers`; see the README's Tokenizers section):
  ./curex tokenizer train --corpus test-data/text/stories.txt --vocab-size 600 --out /tmp/hf-golden/tokenizer.json
  python3 bench/scripts/hf_tokenizer_golden.py --tokenizer /tmp/hf-golden/tokenizer.json

Loads the file with `Tokenizer.from_file`, encodes each text below (no special tokens added) and decodes the ids;
also decodes id sequences that are not whole UTF-8 (each text's ids cut inside a character, and raw bytes). Copies the
tokenizer to test-data/text/hf-golden-tokenizer.json and writes test-data/text/hf-golden.json: the `tokenizers`
version, the tokenizer file's name, per text its ids and decode, and the cut sequences' decodes. HfTokenizerGoldenTest
checks that curex's reader, encoder and decoder give the same.
"""
import argparse
import json
import os
import shutil

import tokenizers
from tokenizers import Tokenizer

# Texts that exercise the pre-tokenizer, the byte-level mapping and the decoder. None holds the literal text of a
# special token ("[MASK]"): Hugging Face reads those as the special token, curex as plain characters (see README).
TEXTS = [
    ("ascii sentence", "The clever fox said hello."),
    ("ascii contractions", "It's later than you think, isn't it? We'll see; they'd know. I'm sure you've been."),
    ("upper-case contractions", "DON'T SHOUT, IT'S LATE. 'S 's 'T"),
    ("punctuation runs", "Wait... what?! (yes) -- \"quoted\" [brackets] {braces} #tag @user $5 100% a+b=c"),
    ("digits", "3.14159 and 1,000,000 in 2024; x2 y10 007"),
    ("two spaces", "a  b"),
    ("several spaces", "one   two    three     four"),
    ("leading and trailing spaces", "   leading and trailing   "),
    ("only spaces", "     "),
    ("newlines", "line one\nline two\n\nline four\n"),
    ("blank lines only", "\n\n\n"),
    ("tabs", "\tcol1\tcol2\t\tcol4"),
    ("mixed whitespace", "a \t b\n \n c\r\n d \x0b e \x0c f"),
    ("space before newline", "end of line \nnext"),
    ("combining acute", "cafe\u0301 re\u0301sume\u0301"),
    ("combining stack", "a\u0300\u0301\u0302 z\u0335\u0336"),
    ("precomposed accents", "Joaquín and Renée at the café; naïve Ærø façade"),
    ("other scripts", "Ωmega straße İstanbul Ελληνικά русский"),
    ("emoji", "hello 😀 world 👍🏽 fox🦊fox"),
    ("emoji sequences", "👨\u200d👩\u200d👧 🇫🇷 1\ufe0f\u20e3 ❤️"),
    ("cjk", "日本語のテキスト"),
    ("cjk with punctuation", "中文 测试，标点。你好！"),
    ("hangul", "한국어 텍스트 입니다"),
    ("control characters", "\x00\x01\x07 bell\x1b[0m esc\x7f del"),
    ("unicode spaces", "a\u00a0b\u2003c\u3000d\u2028e\u2029f\u0085g"),
    ("zero-width and bom", "zero\u200bwidth \ufeffbom \u200djoiner"),
    ("replacement character", "bad \ufffd byte"),
    ("numbers of other scripts", "½ ¾ ٣ ४ Ⅻ"),
    ("long repeat", "a" * 40 + " " + "ab" * 20),
    ("story", "Mara the fox walked to the old bridge.\n\"It's later than you think,\" said the owl."),
    ("empty", ""),
]

# Byte sequences that are not UTF-8, decoded token by token (one byte token each).
BYTES = [
    ("truncated 4-byte sequence", b"a\xf0\x9f\x98b"),
    ("lone continuation bytes", b"\x80\x80x\xbf"),
    ("encoded surrogate", b"\xed\xa0\x80"),
    ("overlong slash", b"\xc0\xaf"),
    ("invalid lead bytes", b"\xf8\xff\xfe"),
    ("3-byte lead then ASCII", b"\xe6\x97A"),
    ("code point above U+10FFFF", b"\xf4\x90\x80\x80"),
]


def byte_chars():
    """GPT-2's bytes_to_unicode(): the printable character that stands for each byte in a byte-level vocabulary."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars, n = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + n)
            n += 1
    return chars


BYTE_CHARS = byte_chars()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tokenizer", required=True, help="a tokenizer.json written by `curex tokenizer train`")
    p.add_argument("--out-dir", default=os.path.join("test-data", "text"), help="where the two files go")
    args = p.parse_args()

    tok = Tokenizer.from_file(args.tokenizer)
    cases = []
    for name, text in TEXTS:
        ids = tok.encode(text, add_special_tokens=False).ids
        cases.append({"name": name, "text": text, "ids": ids, "decode": tok.decode(ids)})
    # Ids that are not whole UTF-8: a text cut inside a character (at its end, or at its start), and raw bytes.
    cut = []
    for name, text in TEXTS:
        ids = tok.encode(text, add_special_tokens=False).ids
        if "\ufffd" in text:
            continue
        for what, parts in (("first", [ids[:n] for n in range(1, len(ids))]),
                            ("last", [ids[n:] for n in range(1, len(ids))])):
            part = next((q for q in parts if "\ufffd" in tok.decode(q)), None)
            if part is not None:
                cut.append({"name": f"{name}, its {what} {len(part)} tokens", "ids": part, "decode": tok.decode(part)})
    for name, raw in BYTES:
        ids = [tok.token_to_id(BYTE_CHARS[b]) for b in raw]
        cut.append({"name": name, "ids": ids, "decode": tok.decode(ids)})

    os.makedirs(args.out_dir, exist_ok=True)
    tokenizer_name = "hf-golden-tokenizer.json"
    if os.path.abspath(args.tokenizer) != os.path.abspath(os.path.join(args.out_dir, tokenizer_name)):
        shutil.copyfile(args.tokenizer, os.path.join(args.out_dir, tokenizer_name))
    golden = {
        "generator": "bench/scripts/hf_tokenizer_golden.py",
        "tokenizers_version": tokenizers.__version__,
        "tokenizer": tokenizer_name,
        "vocabulary": tok.get_vocab_size(),
        "cases": cases,
        "cut_decodes": cut,
    }
    out = os.path.join(args.out_dir, "hf-golden.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"{out}: {len(cases)} texts, {len(cut)} cut decodes, tokenizers {tokenizers.__version__}")


if __name__ == "__main__":
    main()
