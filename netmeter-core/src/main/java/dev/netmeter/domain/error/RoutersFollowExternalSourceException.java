package dev.netmeter.domain.error;

/**
 * A client tried to create, update or delete a router while routers follow an external source
 * ({@code routers.source = neutron}): they are changed there, and netmeter follows.
 */
public final class RoutersFollowExternalSourceException extends ConflictException {
    /**
     * @param source the source as people name it, e.g. {@code Neutron}
     * @param setting its value of {@code routers.source}, e.g. {@code neutron}
     */
    public RoutersFollowExternalSourceException(String source, String setting) {
        super("RoutersFollowNeutron", ("Routers follow %1$s (routers.source = %2$s): create, update and delete "
                + "routers in %1$s; netmeter's router API is read-only.").formatted(source, setting));
    }
}
