package mx.prepaidkeys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void reads_the_fields_asked_for() {
        JsonBody body = parse("{\"key\":\"ABC\",\"acceptLicense\":true,\"client\":{\"rfc\":\"XAXX010101000\"}}");
        assertEquals("ABC", body.string("key", 64));
        assertTrue(body.bool("acceptLicense"));
        assertEquals("XAXX010101000", body.object("client").string("rfc", 13));
        body.end();
    }

    @Test
    void names_every_offending_field_at_once() {
        JsonBody body = parse("{\"key\":12,\"acceptLicense\":\"yes\",\"extra\":1,\"client\":{\"rfc\":\"x\",\"evil\":true}}");
        body.string("key", 64);
        body.bool("acceptLicense");
        body.string("licenseVersion", 32);
        body.object("client").string("rfc", 13);
        RequestInvalid invalid = assertThrows(RequestInvalid.class, body::end);
        assertEquals(List.of("key", "acceptLicense", "licenseVersion", "client.evil", "extra"),
                invalid.errors().stream().map(RequestInvalid.FieldError::field).toList());
        assertEquals(List.of("request.string", "request.boolean", "request.required", "request.unknownField", "request.unknownField"),
                invalid.errors().stream().map(RequestInvalid.FieldError::messageKey).toList());
    }

    @Test
    void text_people_read_is_held_to_the_text_policy_and_kept_in_nfc() {
        JsonBody body = parse("{\"name\":\"Jose\\u0301 Nu\\u0301n\\u0303ez\",\"title\":\"Aspel S\\u0410E\",\"note\":\"Pedido\\u115f 12\","
                + "\"reason\":\"Ｄevolución\",\"text\":\"1.\\nE\\u0301\\u0301\\u0301\\u0301\\u0301\"}");
        assertEquals("José Núñez", body.name("name", 254));
        body.title("title", 120);
        body.optionalLine("note", 500);
        body.line("reason", 500);
        body.text("text", 12_000);
        RequestInvalid invalid = assertThrows(RequestInvalid.class, body::end);
        assertEquals(List.of("title", "note", "reason", "text"), invalid.errors().stream().map(RequestInvalid.FieldError::field).toList());
        assertEquals(List.of("request.text.mixedScripts", "request.text.invisible", "request.text.compatibility", "request.text.marks"),
                invalid.errors().stream().map(RequestInvalid.FieldError::messageKey).toList());
    }

    @Test
    void refuses_what_is_not_one_plain_json_object() {
        assertField("body", "request.emptyBody", "");
        assertField("body", "request.emptyBody", "   ");
        assertField("body", "request.notObject", "[1,2]");
        assertField("body", "request.notObject", "\"key\"");
        assertField("body", "request.malformedJson", "{\"key\":");
        assertField("body", "request.malformedJson", "{\"key\":\"a\"} {}");
        assertField("body", "request.malformedJson", "{'key':'a'}");
        assertField("body", "request.tooDeep", "{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}");
        assertField("key", "request.duplicateField", "{\"key\":\"a\",\"key\":\"b\"}");
    }

    @Test
    void bounds_strings_and_refuses_control_characters() {
        JsonBody body = parse("{\"key\":\"" + "A".repeat(65) + "\",\"name\":\"a\\u0000b\"}");
        body.string("key", 64);
        body.string("name", 100);
        RequestInvalid invalid = assertThrows(RequestInvalid.class, body::end);
        assertEquals("request.tooLong", invalid.errors().get(0).messageKey());
        assertEquals("request.controlCharacters", invalid.errors().get(1).messageKey());
    }

    @Test
    void null_counts_as_missing() {
        JsonBody body = parse("{\"key\":null}");
        body.string("key", 64);
        assertEquals("request.required", assertThrows(RequestInvalid.class, body::end).errors().getFirst().messageKey());
    }

    private static JsonBody parse(String json) {
        return JsonBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertField(String field, String key, String json) {
        RequestInvalid invalid = assertThrows(RequestInvalid.class, () -> parse(json).end());
        assertEquals(field, invalid.errors().getFirst().field(), json);
        assertEquals(key, invalid.errors().getFirst().messageKey(), json);
    }
}
