package io.kakehashi.policy.constraints.onward;

import io.kakehashi.policy.validation.OperandRule;

/**
 * The {@code onwardTransfer} operand's rule as the connector configured it (with its jurisdiction groups), provided
 * as a service for the components that read the constraint out of agreements.
 *
 * @param rule reads and checks the constraint's right operand
 */
public record OnwardTransferRule(OperandRule<OnwardTransfer> rule) {
}
