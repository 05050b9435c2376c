package mx.prepaidkeys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void groups_are_read_in_every_form_api_gateway_and_tools_produce() {
        assertEquals(Set.of("distributors"), Caller.groups("[distributors]"));
        assertEquals(Set.of("admins", "distributors"), Caller.groups("[admins distributors]"));
        assertEquals(Set.of("admins", "distributors"), Caller.groups("[\"admins\",\"distributors\"]"));
        assertEquals(Set.of("admins", "distributors"), Caller.groups("admins,distributors"));
        assertEquals(Set.of(), Caller.groups(null));
    }

    @Test
    void a_distributor_needs_the_group_the_account_claim_and_an_identity() {
        assertTrue(Caller.fromClaims(claims()).isDistributor());
        Map<String, String> noAccount = claims();
        noAccount.remove("custom:distributor_id");
        assertFalse(Caller.fromClaims(noAccount).isDistributor());
        Map<String, String> otherGroup = claims();
        otherGroup.put("cognito:groups", "[admins]");
        assertFalse(Caller.fromClaims(otherGroup).isDistributor());
        Map<String, String> forged = claims();
        forged.put("custom:distributor_id", "norte#AVAILABLE");
        assertFalse(Caller.fromClaims(forged).isDistributor());
        assertFalse(Caller.fromClaims(null).isDistributor());
    }

    @Test
    void a_claim_that_could_forge_an_index_key_makes_nobody_a_distributor() {
        for (String claim : new String[] {"norte#AVAILABLE", "dist norte", "d".repeat(65), ""}) {
            Map<String, String> forged = claims();
            forged.put("custom:distributor_id", claim);
            assertFalse(Caller.fromClaims(forged).isDistributor(), claim);
        }
        Map<String, String> longest = claims();
        longest.put("custom:distributor_id", "d".repeat(64));
        assertTrue(Caller.fromClaims(longest).isDistributor());
        assertEquals(new DistributorId("dist-norte"), Caller.fromClaims(claims()).asDistributorUser().distributorId());
    }

    @Test
    void a_sub_that_cannot_name_a_user_in_records_names_no_caller() {
        Map<String, String> admin = claims();
        admin.put("cognito:groups", "[admins distributors]");
        assertTrue(Caller.fromClaims(admin).isAdmin());
        for (String sub : new String[] {"a#b", "s".repeat(129)}) {
            admin.put("sub", sub);
            assertFalse(Caller.fromClaims(admin).isAdmin(), sub);
            assertFalse(Caller.fromClaims(admin).isDistributor(), sub);
        }
        admin.remove("sub");
        assertFalse(Caller.fromClaims(admin).isAdmin());
        assertFalse(Caller.fromClaims(admin).isDistributor());
    }

    @Test
    void only_an_id_token_names_a_caller() {
        assertTrue(Caller.fromClaims(claims()).isIdToken());
        Map<String, String> access = claims();
        access.put("token_use", "access");
        assertFalse(Caller.fromClaims(access).isIdToken());
        Map<String, String> unsaid = claims();
        unsaid.remove("token_use");
        assertFalse(Caller.fromClaims(unsaid).isIdToken());
        assertFalse(Caller.fromClaims(null).isIdToken());
    }

    @Test
    void the_actor_is_sub_and_username_and_the_address_counts_only_when_verified() {
        var user = Caller.fromClaims(claims()).asDistributorUser();
        assertEquals(new UserId("0b7c"), user.sub());
        assertEquals("ana.lopez", user.username());
        assertTrue(user.emailVerified());
        Map<String, String> unverified = claims();
        unverified.put("email_verified", "false");
        assertFalse(Caller.fromClaims(unverified).asDistributorUser().emailVerified());
        unverified.remove("email_verified");
        assertFalse(Caller.fromClaims(unverified).asDistributorUser().emailVerified(), "absent is not verified");
        assertEquals(new mx.prepaidkeys.domain.BackOfficeUser(new UserId("0b7c"), "ana.lopez"), Caller.fromClaims(claims()).asBackOfficeUser());
    }

    private static Map<String, String> claims() {
        Map<String, String> claims = new HashMap<>();
        claims.put("sub", "0b7c");
        claims.put("cognito:username", "ana.lopez");
        claims.put("email_verified", "true");
        claims.put("token_use", "id");
        claims.put("email", "ana@norte.mx");
        claims.put("cognito:groups", "[distributors]");
        claims.put("custom:distributor_id", "dist-norte");
        return claims;
    }
}
