package io.kakehashi.catalog.profiles;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Example metadata for the tests: one valid JSON-LD document per sector, and ways to break it. */
final class DataProfilesTestFixtures {

    static final String KH = "https://w3id.org/kakehashi/ns#";

    /** The five sectors, each with its example, its profile and the sector-specific properties it requires. */
    enum Sector {
        MOBILITY("mobility.jsonld", "https://w3id.org/kakehashi/profiles/mobility/probe-data/v1",
                List.of(DCTerms.spatial, DCTerms.temporal, DCAT.temporalResolution)),
        MANUFACTURING("manufacturing.jsonld", "https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v1",
                List.of(kh("machineType"), kh("machineCount"), DCAT.temporalResolution)),
        PLANT_SAFETY("plant-safety.jsonld", "https://w3id.org/kakehashi/profiles/plant-safety/inspection-records/v1",
                List.of(kh("inspectionMethod"), kh("assetType"), DCTerms.temporal)),
        SMART_LIFE("smart-life.jsonld", "https://w3id.org/kakehashi/profiles/smart-life/e-receipts/v1",
                List.of(kh("anonymisation"), DCTerms.temporal)),
        BIO_MATERIALS("bio-materials.jsonld", "https://w3id.org/kakehashi/profiles/bio-materials/culture-data/v1",
                List.of(kh("organism"), kh("cultureMedium")));

        final String resource;
        final String profileIri;
        final List<Property> requiredFields;

        Sector(String resource, String profileIri, List<Property> requiredFields) {
            this.resource = resource;
            this.profileIri = profileIri;
            this.requiredFields = requiredFields;
        }

        String jsonLd() {
            return text("examples/" + resource);
        }

        Model model() {
            return new MetadataParser().parse(jsonLd(), MetadataFormat.JSON_LD)
                    .orElseThrow(f -> new IllegalStateException("example " + resource + " does not parse: " + f.getFailureDetail()));
        }
    }

    private DataProfilesTestFixtures() {
    }

    static Property kh(String localName) {
        return ResourceFactory.createProperty(KH, localName);
    }

    /** The property in the prefixed form the validation messages use, e.g. {@code kh:machineCount}. */
    static String prefixed(Property property) {
        var uri = property.getURI();
        if (uri.startsWith(KH)) {
            return "kh:" + property.getLocalName();
        }
        if (uri.startsWith(DCAT.NS)) {
            return "dcat:" + property.getLocalName();
        }
        return "dct:" + property.getLocalName();
    }

    /** Removes every statement with this property, wherever it occurs. */
    static Model without(Model model, Property property) {
        model.removeAll(null, property, null);
        return model;
    }

    /** Removes the values of {@code property} tagged with {@code language}. */
    static Model withoutLanguage(Model model, Property property, String language) {
        List<Statement> tagged = model.listStatements(null, property, (String) null).filterKeep(
                s -> s.getObject().isLiteral() && language.equals(s.getLiteral().getLanguage())).toList();
        model.remove(tagged);
        return model;
    }

    /** Replaces every value of {@code property} with {@code value}. */
    static Model replacing(Model model, Property property, RDFNode value) {
        var subjects = model.listSubjectsWithProperty(property).toList();
        model.removeAll(null, property, null);
        subjects.forEach(s -> s.addProperty(property, value));
        return model;
    }

    static String text(String resource) {
        try (InputStream in = DataProfilesTestFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
