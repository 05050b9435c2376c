package mx.prepaidkeys.api.list;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.Problems;
import mx.prepaidkeys.i18n.Messages;

/**
 * {@code GET /v1/prepaid-keys}: "Claves prepago", the caller's keys with "Filtro" (status, product,
 * client, activation dates, key suffix), "Columnas" ({@code fields}), order, pages and counts by
 * status; with {@code Accept: text/csv}, every matching row as a spreadsheet file.
 */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:GetItem", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.DISTRIBUTORS)
public class ListHandler extends ApiHandler {
    /** What one Lambda answer carries (6 MB) less headroom; a compressed body grows by a third in base64. */
    static final int MAX_TEXT_BYTES = 5_800_000;
    static final int MAX_COMPRESSED_BYTES = 4_300_000;

    @Inject
    KeyListing listing;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        ListParameters parameters = ListParameters.parse(request.query());
        if (request.acceptsCsv()) return csv(request, parameters);
        var page = listing.list(request.distributor(), parameters.query());
        List<Map<String, Object>> items = page.items().stream().map(key -> Column.json(key, parameters.columns(), page.at())).toList();
        if (page.counts() == null) return ApiResponse.ok(new KeyList(items, page.nextCursor(), null, null));
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (var status : KeyListing.VISIBLE) counts.put(status.name(), page.counts().counts().getOrDefault(status, 0));
        return ApiResponse.ok(new KeyList(items, page.nextCursor(), counts, page.counts().complete()));
    }

    /**
     * Every matching row (not one page), UTF-8 with a byte order mark so that Excel keeps the
     * accents, column names in the caller's language, compressed when the caller takes gzip.
     */
    private ApiResponse csv(ApiRequest request, ListParameters parameters) {
        var language = request.language();
        StringBuilder csv = new StringBuilder(1 << 16).append('\uFEFF');
        csv.append(String.join(",", parameters.columns().stream().map(c -> quote(c.header(language))).toList())).append("\r\n");
        Instant at = listing.now();
        listing.export(request.distributor(), parameters.query(), key -> {
            for (int i = 0; i < parameters.columns().size(); i++) {
                if (i > 0) csv.append(',');
                csv.append(quote(parameters.columns().get(i).cell(key, at, language)));
            }
            csv.append("\r\n");
        });
        byte[] text = csv.toString().getBytes(StandardCharsets.UTF_8);
        String file = Messages.get(language, "csv.fileName") + "-" + at.toString().substring(0, 10) + ".csv";
        Map<String, String> headers = Map.of("content-disposition", "attachment; filename=\"" + file + "\"");
        String acceptEncoding = request.header("accept-encoding");
        if (acceptEncoding != null && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            byte[] compressed = gzip(text);
            if (compressed.length > MAX_COMPRESSED_BYTES) return tooLarge(request);
            return new ApiResponse(200, compressed, "text/csv; charset=utf-8", Map.of("content-disposition", headers.get("content-disposition"),
                    "content-encoding", "gzip", "vary", "accept-encoding"));
        }
        if (text.length > MAX_TEXT_BYTES) return tooLarge(request);
        return new ApiResponse(200, new String(text, StandardCharsets.UTF_8), "text/csv; charset=utf-8", headers);
    }

    private static ApiResponse tooLarge(ApiRequest request) {
        return Problems.plain(413, Problems.EXPORT_TOO_LARGE, request.language(), request.requestId());
    }

    /**
     * RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula: a
     * client name is typed by people (CSV injection).
     */
    public static String quote(String cell) {
        String safe = !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) return safe;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    private static byte[] gzip(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 4);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @param counts         counts by status for the same filter, statuses aside; on the first page only
     * @param countsComplete false when a client or key-end filter matched more keys than one request counts
     */
    @Serdeable
    public record KeyList(List<Map<String, Object>> items, String nextCursor, Map<String, Integer> counts, Boolean countsComplete) {}
}
