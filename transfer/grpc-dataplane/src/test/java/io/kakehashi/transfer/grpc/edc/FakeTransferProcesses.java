package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.ServiceResult;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A consumer's transfer processes as a fresh runtime finds them in its store: {@link #service()} answers
 * {@code findById}, {@code search} (in pages; the criteria are left to the caller to check) and records
 * {@code complete} and {@code terminate}. Thread-safe.
 */
final class FakeTransferProcesses {

    final Map<String, TransferProcess> processes = new ConcurrentHashMap<>();
    final List<String> completed = new CopyOnWriteArrayList<>();
    final List<String> terminated = new CopyOnWriteArrayList<>();

    void add(TransferProcess process) {
        processes.put(process.getId(), process);
    }

    TransferProcessService service() {
        return (TransferProcessService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TransferProcessService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "findById" -> processes.get((String) args[0]);
                    case "search" -> {
                        var query = (QuerySpec) args[0];
                        var all = new ArrayList<>(processes.values());
                        all.sort(java.util.Comparator.comparing(TransferProcess::getId));
                        var from = Math.min(query.getOffset(), all.size());
                        var to = Math.min(from + query.getLimit(), all.size());
                        yield ServiceResult.success(List.copyOf(all.subList(from, to)));
                    }
                    case "complete" -> {
                        completed.add((String) args[0]);
                        yield ServiceResult.success();
                    }
                    case "terminate" -> {
                        terminated.add(((TerminateTransferCommand) args[0]).getEntityId());
                        yield ServiceResult.success();
                    }
                    case "toString" -> "FakeTransferProcesses";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
