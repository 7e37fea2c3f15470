/**
 * Billing: the periods a project is billed by ({@link dev.netmeter.domain.billing.BillingCycle}, and over changes
 * of cycle {@link dev.netmeter.domain.billing.BillingSchedule}), stored usage
 * spread over five-minute samples ({@link dev.netmeter.domain.billing.FiveMinuteSamples}) and the burstable
 * rate of a period's samples ({@link dev.netmeter.domain.billing.BurstableRate}). Pure values and arithmetic:
 * what a statement is made of, with nothing of how it is stored or served.
 */
package dev.netmeter.domain.billing;
