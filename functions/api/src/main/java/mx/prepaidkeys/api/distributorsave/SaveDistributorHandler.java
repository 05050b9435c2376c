package mx.prepaidkeys.api.distributorsave;

import jakarta.inject.Inject;
import java.util.regex.Pattern;
import mx.prepaidkeys.backoffice.DistributorAccounts;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audited;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.DistributorView;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.RequestInvalid;

/**
 * {@code PUT /v1/admin/distributors/{distributorId}}: create or update a distributor account;
 * {@code "status": "SUSPENDED"} stops its users from capturing, confirming and assigning until it is
 * {@code ACTIVE} again.
 */
@Audited(action = "DISTRIBUTOR_SAVED", target = "distributorId")
@AwsFunction(awsActions = {"dynamodb:PutItem"},
        environment = {"TABLE_NAME"},
        writesPartitions = {"DISTRIBUTOR#*", "AUDIT#*"})
@CalledBy(Audience.ADMINS)
public class SaveDistributorHandler extends ApiHandler {
    /** What a mail system delivers to: one @, a dot in the domain, nothing invisible (JsonBody refuses controls). */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    @Inject
    DistributorAccounts accounts;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        DistributorId id = DistributorId.parse(request.pathParameter("distributorId"))
                .orElseThrow(() -> new RequestInvalid("distributorId", "request.distributorId"));
        JsonBody body = request.jsonBody();
        String name = body.name("name", 200);
        String typedRfc = body.string("rfc", 20);
        String contactEmail = body.string("contactEmail", 254);
        String status = body.string("status", 16);
        String rfc = null;
        if (typedRfc != null) {
            try {
                rfc = ClientRfc.parse(typedRfc, false).value();
            } catch (DomainException invalid) {
                body.reject("rfc", "request.rfc");
            }
        }
        if (contactEmail != null && !EMAIL.matcher(contactEmail).matches()) body.reject("contactEmail", "request.email");
        if (status != null && !status.equals("ACTIVE") && !status.equals("SUSPENDED")) body.reject("status", "request.distributorStatus");
        body.end();
        var saved = accounts.save(request.backOfficeUser(), id,
                new DistributorAccounts.Changes(name, rfc, contactEmail, Distributor.Status.valueOf(status)));
        return ApiResponse.status(saved.created() ? 201 : 200, DistributorView.of(saved.distributor()));
    }
}
