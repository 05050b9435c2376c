package mx.prepaidkeys.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code .local/stack.json}: where everything of the running local stack is, for people and tools
 * (the tests, `make token`, the web desk). Field names are a contract: keep them.
 */
public record StackFile(String apiUrl, String region, Cognito cognito, Ses ses, DynamoDb dynamodb, List<User> users,
                        List<DemoData.DemoKey> demoKeys) {

    public record Cognito(String endpoint, String userPoolId, String clientId, String issuer, String jwksUrl) {}

    public record Ses(String endpoint, String inboxUrl) {}

    public record DynamoDb(String endpoint, String tableName) {}

    public record User(String username, String password, String email, List<String> groups, String distributorId) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static StackFile read(Path file) {
        try {
            return JSON.readValue(file.toFile(), StackFile.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (is the local stack running? `make run`)", e);
        }
    }

    public static StackFile readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return read(file);
        } catch (IllegalStateException unreadable) {
            return null;
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    public User user(String username) {
        return users.stream().filter(u -> u.username().equals(username)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no user " + username + " in the local stack; users: "
                        + users.stream().map(User::username).toList()));
    }
}
