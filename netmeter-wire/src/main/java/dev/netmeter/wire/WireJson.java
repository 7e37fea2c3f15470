package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * The mapper that binds and writes the wire records: strict, so that a missing field, a {@code null} where a
 * value belongs or a value of the wrong JSON type is an error naming the field, never a default (a counter that
 * reads as 0 or a prefix that reads as "none" would bill the wrong traffic). Thread-safe.
 */
public final class WireJson {
    /** Binds and writes the records of this package; nothing in them is read by hand. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // null is refused for every property and every element, unless the property says otherwise
            .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
            // no text from a number or a boolean, no number from text, no boolean from a number
            .withCoercionConfigDefaults(config -> {
                for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString,
                        CoercionInputShape.EmptyArray, CoercionInputShape.EmptyObject)) {
                    config.setCoercion(shape, CoercionAction.Fail);
                }
                config.setAcceptBlankAsEmpty(false);
            })
            .build();

    private WireJson() {
    }

    /** The JSON names of {@code record}'s properties, in the order it declares them. */
    public static List<String> properties(Class<? extends Record> record) {
        return definitions(record).stream().map(BeanPropertyDefinition::getName).toList();
    }

    /** The JSON names of {@code record}'s required properties, in the order it declares them. */
    public static List<String> requiredProperties(Class<? extends Record> record) {
        return definitions(record).stream().filter(BeanPropertyDefinition::isRequired)
                .map(BeanPropertyDefinition::getName).toList();
    }

    private static List<BeanPropertyDefinition> definitions(Class<? extends Record> record) {
        BeanDescription description = MAPPER.getDeserializationConfig()
                .introspect(MAPPER.constructType(record));
        return description.findProperties();
    }
}
