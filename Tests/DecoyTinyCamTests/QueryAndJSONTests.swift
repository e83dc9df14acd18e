import DecoyTinyCam
import Testing

/// The parsed pairs of `raw`, as `name=value` strings for compact comparisons.
private func pairs(_ raw: String) throws -> [String] {
    try QueryParameters(parsing: Substring(raw)).pairs.map { "\($0.name)=\($0.value)" }
}

/// The error parsing `raw` throws (nil when it parses).
private func queryError(_ raw: String) -> QueryError? {
    do {
        _ = try QueryParameters(parsing: Substring(raw))
        return nil
    } catch {
        return error
    }
}

@Suite("QueryParameters")
struct QueryParametersTests {
    @Test("+ is a space and %2B a plus")
    func plus() throws {
        #expect(try pairs("q=a+b%2Bc") == ["q=a b+c"])
        #expect(try QueryParameters(parsing: "name+x=1")["name x"] == "1")
    }

    @Test("percent escapes decode as UTF-8, in either hex case")
    func utf8() throws {
        #expect(
            try pairs("name=J%C3%BCrgen&sym=%E2%82%AC&low=%e2%82%ac&cat=%F0%9F%90%88") == [
                "name=Jürgen", "sym=€", "low=€", "cat=🐈",
            ])
        #expect(
            try pairs("file=%2FFront%20yard%2F2020-09-29%2015.06.04.mp4") == [
                "file=/Front yard/2020-09-29 15.06.04.mp4"
            ])
        #expect(try pairs("raw=café") == ["raw=café"])
    }

    @Test("escaped separators are data, not separators")
    func escapedSeparators() throws {
        #expect(try pairs("pwd=a%26b%3Dc&user=x") == ["pwd=a&b=c", "user=x"])
    }

    @Test("a value may contain '='")
    func equalsInValue() throws {
        #expect(try pairs("token=abc=def") == ["token=abc=def"])
    }

    @Test(
        "malformed escapes are errors",
        arguments: ["a=%", "a=%zz", "a=%4", "a=%4g", "a=100%", "a=%%41", "%zz=1", "a=%é1"])
    func malformedEscapes(_ raw: String) {
        guard case .malformedEscape = queryError(raw) else {
            Issue.record("\(raw) gave \(String(describing: queryError(raw)))")
            return
        }
    }

    @Test("the error names the parameter whose value is malformed")
    func errorNamesParameter() {
        #expect(queryError("ok=1&pwd=%zz") == .malformedEscape("value of 'pwd'"))
        #expect(queryError("%zz=1") == .malformedEscape("parameter name"))
        #expect(
            queryError("ok=1&pwd=%zz")?.description
                == "malformed percent escape in value of 'pwd' (use %XX with two hex digits)")
    }

    @Test("invalid UTF-8 is an error", arguments: ["a=%FF", "a=%C3", "a=%C3%28", "a=%ED%A0%80", "a=%C0%AF"])
    func invalidUTF8(_ raw: String) {
        #expect(queryError(raw) == .invalidUTF8("value of 'a'"))
    }

    @Test("NUL is an error")
    func nul() {
        #expect(queryError("a=x%00y") == .controlCharacter("value of 'a'"))
        #expect(queryError("a%00=1") == .controlCharacter("parameter name"))
    }

    @Test("a parameter given twice is an error, whatever the values")
    func repeated() {
        #expect(queryError("camera=1&camera=2") == .repeated("camera"))
        #expect(queryError("user=a&user=a") == .repeated("user"))
        #expect(queryError("user=a&user") == .repeated("user"))
        #expect(queryError("us%65r=a&user=b") == .repeated("user"))
        #expect(queryError("user=a&User=b") == nil, "names are case-sensitive")
    }

    @Test("empty pieces and empty names are skipped; a name without '=' has an empty value")
    func emptyPieces() throws {
        #expect(try pairs("") == [])
        #expect(try pairs("&&a=1&&b=2&") == ["a=1", "b=2"])
        #expect(try pairs("flag&a=1") == ["flag=", "a=1"])
        #expect(try pairs("a=") == ["a="])
        #expect(try pairs("=orphan&a=1") == ["a=1"])
        let query = try QueryParameters(parsing: "flag")
        #expect(query.contains("flag"))
        #expect(query["flag"] == "")
        #expect(!query.contains("other"))
        #expect(query["other"] == nil)
    }

    @Test("order is kept")
    func order() throws {
        #expect(try pairs("z=1&a=2&m=3") == ["z=1", "a=2", "m=3"])
    }

    @Test("path decoding keeps + and still rejects bad escapes")
    func pathDecoding() throws {
        #expect(try QueryParameters.decode("/a+b%20c", what: "path", plusIsSpace: false) == "/a+b c")
        #expect(throws: QueryError.malformedEscape("path")) {
            try QueryParameters.decode("/a%2", what: "path", plusIsSpace: false)
        }
    }
}

@Suite("JSONValue")
struct JSONValueTests {
    @Test("forward slashes are escaped as \\/ like Android's org.json")
    func slashes() {
        #expect(JSONValue.string("/api/v1/get_file?file=/a b").serialized == #""\/api\/v1\/get_file?file=\/a b""#)
    }

    @Test("quotes, backslashes and control characters are escaped")
    func escapes() {
        #expect(JSONValue.string("a\"b\\c").serialized == #""a\"b\\c""#)
        #expect(JSONValue.string("\n\r\t\u{08}\u{0C}").serialized == #""\n\r\t\b\f""#)
        #expect(JSONValue.string("\u{00}\u{01}\u{1F}").serialized == #""\u0000\u0001\u001f""#)
        #expect(JSONValue.string("\u{7F}").serialized == "\"\u{7F}\"")
    }

    @Test("non-ASCII text is written as UTF-8, not escaped")
    func unicode() {
        #expect(JSONValue.string("Jürgen € 🐈").serialized == "\"Jürgen € 🐈\"")
    }

    @Test("object keys keep their order and output is compact")
    func orderAndCompactness() {
        let value = JSONValue.object([
            ("zeta", .int(1)), ("alpha", .array([.bool(true), .bool(false), .null])), ("mid", .object([])),
            ("neg", .int(-42)), ("list", .array([])), ("a/b", .string("")),
        ])
        #expect(value.serialized == #"{"zeta":1,"alpha":[true,false,null],"mid":{},"neg":-42,"list":[],"a\/b":""}"#)
    }

    @Test("integers are written in full")
    func integers() {
        #expect(JSONValue.int(Int64.max).serialized == "9223372036854775807")
        #expect(JSONValue.int(Int64.min).serialized == "-9223372036854775808")
        #expect(JSONValue.int(0).serialized == "0")
    }

    @Test("the envelope wraps data")
    func envelope() {
        #expect(JSONValue.envelope(.array([.int(1)])).serialized == #"{"data":[1]}"#)
    }

    @Test("the tests' parser reads back what the serializer writes")
    func roundTrip() throws {
        let text = JSONValue.object([("k/1", .string("a/\"b\"\n\u{01}é")), ("n", .int(-3))]).serialized
        let parsed = try JSON.parse(text)
        #expect(parsed.keys == ["k/1", "n"])
        #expect(parsed["k/1"]?.string == "a/\"b\"\n\u{01}é")
        #expect(parsed["n"]?.int == -3)
    }
}
