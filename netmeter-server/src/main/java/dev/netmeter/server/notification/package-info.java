/** Usage out to OpenStack's telemetry: {@code l3.meter} notifications from the outbox to RabbitMQ. */
package dev.netmeter.server.notification;
