package io.kakehashi.policy.decisionlog.runtime;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a state change the counterparty caused from one this connector decided, on the protocol context:
 * <ul>
 *     <li>a change EDC makes on a thread handling a DSP request (the consumer's AGREED on the provider's agreement, a
 *     negotiation the counterparty terminated) is the counterparty's: {@link #active()};</li>
 *     <li>a transfer the counterparty asked to terminate is TERMINATING_REQUESTED on the request's thread but reaches
 *     TERMINATED later on the state machine's; the process ids of accepted DSP termination messages
 *     ({@code …/negotiations|transfers/<this side's id>/termination}, answered 2xx) are remembered (the last
 *     {@value #REMEMBERED}): {@link #terminatedByCounterparty}.</li>
 * </ul>
 * Only this connector's decisions get receipts. Thread-safe.
 */
final class InboundProtocolRequests implements ContainerRequestFilter, ContainerResponseFilter {

    static final int REMEMBERED = 10_000;
    private static final Pattern TERMINATION = Pattern.compile("(?:^|/)(?:negotiations|transfers)/([^/]+)/termination/?$");

    private final ThreadLocal<Boolean> handling = new ThreadLocal<>();
    private final Set<String> terminated = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    @Override
    public void filter(ContainerRequestContext request) {
        handling.set(Boolean.TRUE);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        handling.remove();
        if (response.getStatus() / 100 == 2 && "POST".equals(request.getMethod())) {
            var matcher = TERMINATION.matcher(request.getUriInfo().getPath());
            if (matcher.find()) {
                terminated.add(matcher.group(1));
            }
        }
    }

    /**
     * Whether this thread is handling a request on the protocol context.
     */
    boolean active() {
        return Boolean.TRUE.equals(handling.get());
    }

    /**
     * Whether the counterparty's termination message for this process (by this side's id) was accepted.
     */
    boolean terminatedByCounterparty(String processId) {
        return terminated.contains(processId);
    }
}
