package mx.prepaidkeys.edge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.i18n.Language;
import mx.prepaidkeys.i18n.Messages;

/**
 * RFC 9457 problem details. The one table from domain errors to HTTP status and stable code is
 * {@link #typeOf(DomainError)}; titles and details come from the message bundles in the caller's
 * language.
 */
public final class Problems {
    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    public static final String FORBIDDEN = "FORBIDDEN";
    /** A token that is not a Cognito ID token (an access token): 401. */
    public static final String ID_TOKEN_REQUIRED = "ID_TOKEN_REQUIRED";
    /** A problem lists at most this many errors, and counts the rest: the answer never outgrows the request. */
    public static final int MAX_ERRORS = 20;
    /** A CSV export larger than one Lambda answer can carry. */
    public static final String EXPORT_TOO_LARGE = "EXPORT_TOO_LARGE";

    private Problems() {}

    public record ProblemType(int status, String code) {}

    /** The mapping. The switch is exhaustive over the sealed errors: a new error does not compile until it is here. */
    public static ProblemType typeOf(DomainError error) {
        return switch (error) {
            case DomainError.KeyFormatInvalid e -> new ProblemType(400, "KEY_FORMAT_INVALID");
            case DomainError.KeyNotRedeemable e -> new ProblemType(422, "KEY_NOT_REDEEMABLE");
            case DomainError.KeyAlreadyActivated e -> new ProblemType(409, "KEY_ALREADY_ACTIVATED");
            case DomainError.LicenseNotAccepted e -> new ProblemType(400, "LICENSE_NOT_ACCEPTED");
            case DomainError.LicenseVersionOutdated e -> new ProblemType(409, "LICENSE_VERSION_OUTDATED");
            case DomainError.TooManyAttempts e -> new ProblemType(429, "TOO_MANY_ATTEMPTS");
            case DomainError.KeyAlreadyUsed e -> new ProblemType(409, "KEY_ALREADY_USED");
            case DomainError.KeyNotAssignable e -> new ProblemType(409, "KEY_NOT_ASSIGNABLE");
            case DomainError.AssignmentFinal e -> new ProblemType(409, "ASSIGNMENT_FINAL");
            case DomainError.KeyNotAssigned e -> new ProblemType(409, "KEY_NOT_ASSIGNED");
            case DomainError.ClientRfcInvalid e -> new ProblemType(400, "CLIENT_RFC_INVALID");
            case DomainError.ClientRfcCheckDigit e -> new ProblemType(400, "CLIENT_RFC_CHECK_DIGIT");
            case DomainError.LicenseVersionImmutable e -> new ProblemType(409, "LICENSE_VERSION_IMMUTABLE");
            case DomainError.IdempotencyKeyReused e -> new ProblemType(422, "IDEMPOTENCY_KEY_REUSED");
            case DomainError.RequestInProgress e -> new ProblemType(409, "REQUEST_IN_PROGRESS");
            case DomainError.MintIncomplete e -> new ProblemType(503, "BATCH_INCOMPLETE");
            case DomainError.EmailNotOwed e -> new ProblemType(409, "EMAIL_NOT_OWED");
            case DomainError.EmailHeld e -> new ProblemType(409, "EMAIL_HELD");
            case DomainError.NotFound e -> new ProblemType(404, "NOT_FOUND");
            case DomainError.Forbidden e -> new ProblemType(403, FORBIDDEN);
            case DomainError.AccountSuspended e -> new ProblemType(403, "ACCOUNT_SUSPENDED");
            case DomainError.CursorInvalid e -> new ProblemType(400, "CURSOR_INVALID");
        };
    }

    public static ApiResponse of(DomainError error, Language language, String requestId) {
        ProblemType type = typeOf(error);
        Map<String, Object> body = body(type.status(), type.code(), language, requestId, detailArguments(error, language));
        ApiResponse response;
        switch (error) {
            case DomainError.KeyAlreadyActivated e -> {
                body.put("keyId", e.keyId().value());
                body.put("activatedAt", Timestamps.format(e.activatedAt()));
            }
            case DomainError.LicenseVersionOutdated e -> body.put("currentLicenseVersion", e.currentVersion());
            case DomainError.TooManyAttempts e -> {
                body.put("retryAfter", e.retryAfter().toSeconds());
                body.put("lockScope", e.scope().name());
            }
            case DomainError.KeyNotRedeemable e -> {
                if (e.attemptsLeft() != null) body.put("attemptsLeft", e.attemptsLeft());
            }
            case DomainError.CursorInvalid e -> body.put("field", "cursor");
            case DomainError.KeyFormatInvalid e -> body.put("field", "key");
            case DomainError.LicenseNotAccepted e -> body.put("field", "acceptLicense");
            case DomainError.ClientRfcInvalid e -> {
                body.put("field", "client.rfc");
                body.put("reason", e.problem().name());
            }
            case DomainError.ClientRfcCheckDigit e -> body.put("field", "client.rfc");
            case DomainError.KeyNotAssignable e -> body.put("keyStatus", e.status().name());
            case DomainError.KeyNotAssigned e -> body.put("keyStatus", e.status().name());
            case DomainError.AssignmentFinal e -> body.put("assignedAt", Timestamps.format(e.assignedAt()));
            case DomainError.EmailNotOwed e -> body.put("keyStatus", e.status().name());
            case DomainError.EmailHeld e -> body.put("reason", e.reason());
            case DomainError.IdempotencyKeyReused e -> body.put("field", "Idempotency-Key");
            case DomainError.MintIncomplete e -> {
                body.put("batchId", e.batchId());
                body.put("written", e.written());
                body.put("quantity", e.quantity());
            }
            default -> { }
        }
        response = new ApiResponse(type.status(), body, ApiResponse.PROBLEM_JSON, Map.of());
        if (error instanceof DomainError.TooManyAttempts e) {
            response = response.withHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        // the same request again, at once, finishes the batch where this one stopped
        if (error instanceof DomainError.MintIncomplete) response = response.withHeader("Retry-After", "1");
        if (error instanceof DomainError.RequestInProgress e) {
            // rounded up: a retry at the second it names finds the first run's lease over
            response = response.withHeader("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        return response;
    }

    private static Object[] detailArguments(DomainError error, Language language) {
        return switch (error) {
            case DomainError.LicenseVersionOutdated e -> new Object[] {e.currentVersion()};
            case DomainError.TooManyAttempts e -> new Object[] {Math.max(1, e.retryAfter().toSeconds())};
            case DomainError.ClientRfcInvalid e -> new Object[] {Messages.get(language, "rfc." + e.problem().name())};
            case DomainError.KeyNotAssignable e -> new Object[] {
                    Messages.get(language, "status." + e.status().name()).toLowerCase(language.locale())};
            case DomainError.EmailNotOwed e -> new Object[] {
                    Messages.get(language, "status." + e.status().name()).toLowerCase(language.locale())};
            case DomainError.KeyNotAssigned e -> new Object[] {
                    Messages.get(language, "status." + e.status().name()).toLowerCase(language.locale())};
            case DomainError.AssignmentFinal e -> new Object[] {Assignment.CORRECTION_WINDOW.toHours()};
            case DomainError.LicenseVersionImmutable e -> new Object[] {e.version()};
            case DomainError.MintIncomplete e -> new Object[] {e.written(), e.quantity()};
            default -> new Object[0];
        };
    }

    /** 400 REQUEST_INVALID naming every offending field; the first one also as {@code field}. */
    public static ApiResponse invalid(RequestInvalid invalid, Language language, String requestId) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (RequestInvalid.FieldError error : invalid.errors().subList(0, Math.min(MAX_ERRORS, invalid.errors().size()))) {
            Object[] arguments = new Object[error.arguments().length + 1];
            arguments[0] = error.field();
            for (int i = 0; i < error.arguments().length; i++) {
                Object argument = error.arguments()[i];
                arguments[i + 1] = argument instanceof RequestInvalid.Text text ? Messages.get(language, text.messageKey()) : argument;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("field", error.field());
            entry.put("detail", Messages.get(language, error.messageKey(), arguments));
            errors.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", typeUri(REQUEST_INVALID));
        body.put("title", Messages.get(language, "problem." + REQUEST_INVALID + ".title"));
        body.put("status", 400);
        body.put("detail", errors.getFirst().get("detail"));
        body.put("code", REQUEST_INVALID);
        body.put("requestId", requestId);
        body.put("field", invalid.errors().getFirst().field());
        body.put("errors", errors);
        if (invalid.errors().size() > MAX_ERRORS) body.put("moreErrors", invalid.errors().size() - MAX_ERRORS);
        return new ApiResponse(400, body, ApiResponse.PROBLEM_JSON, Map.of());
    }

    /** 401 for a token that is not an ID token, with the reason where RFC 6750 puts it. */
    public static ApiResponse idTokenRequired(Language language, String requestId) {
        return plain(401, ID_TOKEN_REQUIRED, language, requestId)
                .withHeader("www-authenticate", "Bearer error=\"invalid_token\", error_description=\"an ID token is required\"");
    }

    /** A problem of the edge itself (unsupported media type, faults): code and texts only. */
    public static ApiResponse plain(int status, String code, Language language, String requestId) {
        return new ApiResponse(status, body(status, code, language, requestId, new Object[0]), ApiResponse.PROBLEM_JSON, Map.of());
    }

    private static Map<String, Object> body(int status, String code, Language language, String requestId, Object[] arguments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", typeUri(code));
        body.put("title", Messages.get(language, "problem." + code + ".title"));
        body.put("status", status);
        body.put("detail", Messages.get(language, "problem." + code + ".detail", arguments));
        body.put("code", code);
        body.put("requestId", requestId);
        return body;
    }

    /** A relative URI reference per code, documented in docs/openapi.yaml. */
    static String typeUri(String code) {
        return "/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
