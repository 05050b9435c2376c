package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.Timestamps;

/** A distributor account for the back office: who the company is, its status, and who saved it last (by username). */
@Serdeable
public record DistributorView(String distributorId, String name, String rfc, String contactEmail, String status, String updatedAt,
                              String updatedBy) {

    public static DistributorView of(Distributor distributor) {
        return new DistributorView(distributor.id().value(), distributor.name(), distributor.rfc(), distributor.contactEmail(),
                distributor.status().name(), Timestamps.format(distributor.updatedAt()),
                KeyView.actor(distributor.updatedByUsername(), distributor.updatedBySub()));
    }
}
