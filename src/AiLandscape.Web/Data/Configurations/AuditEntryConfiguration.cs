using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.Property(x => x.Changes).HasColumnType("jsonb");
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.UserName).HasMaxLength(256);
        b.HasIndex(x => new { x.RecordType, x.RecordId, x.At });
        b.HasIndex(x => x.At);
        b.HasIndex(x => x.UserId);
        b.HasIndex(x => x.ChangeSetId);
        b.HasIndex(x => x.RevertsEntryId);
        b.HasIndex(x => new { x.CompanyId, x.At });
        b.Property(x => x.Summary).HasMaxLength(300);
    }
}
