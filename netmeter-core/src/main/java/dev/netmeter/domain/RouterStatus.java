package dev.netmeter.domain;

/** A router's status, as Neutron reports it. Set by the server, never by a client. */
public enum RouterStatus {
    ACTIVE
}
