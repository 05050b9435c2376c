package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import mx.prepaidkeys.domain.DirectoryClient;
import mx.prepaidkeys.domain.Timestamps;

/** A client of the caller's directory as the API shows it; absent email and notes are left out. */
@Serdeable
public record DirectoryClientView(String rfc, String name, String email, String notes, int keyCount, String firstAssignedAt,
                                  String lastAssignedAt) {

    public static DirectoryClientView of(DirectoryClient client) {
        return new DirectoryClientView(client.rfc(), client.name(), client.email(), client.notes(), client.keyCount(),
                Timestamps.format(client.firstAssignedAt()), Timestamps.format(client.lastAssignedAt()));
    }
}
