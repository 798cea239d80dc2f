using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class CitationConfiguration : IEntityTypeConfiguration<Citation>
{
    public void Configure(EntityTypeBuilder<Citation> b)
    {
        b.HasOne(x => x.Source).WithMany(s => s.Citations).HasForeignKey(x => x.SourceId).OnDelete(DeleteBehavior.Cascade);
        // A profile loads all citations of its records in one query: (record_type, record_id) is the way in.
        b.HasIndex(x => new { x.RecordType, x.RecordId, x.Field });
        // The disputes list groups reported values by field across all citations: an index of just those rows.
        b.HasIndex(x => new { x.RecordType, x.RecordId, x.Field, x.ReportedValue })
            .HasFilter("reported_value IS NOT NULL AND record_id IS NOT NULL")
            .HasDatabaseName("ix_citations_reported_values");
        b.Property(x => x.Field).HasMaxLength(64);
        b.Property(x => x.ReportedValue).HasMaxLength(500);
        b.Property(x => x.Claim).HasMaxLength(4000);
        b.Property(x => x.Version).IsRowVersion();
        b.ToTable(t => t.HasCheckConstraint("ck_citations_record_pair",
            "(record_type IS NULL) = (record_id IS NULL)"));
    }
}
