use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "file_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub file_id: Uuid,
    pub client_id: Uuid,
    pub number: i32,
    pub storage_key: String,
    pub size: i64,
    pub sha256: String,
    pub content_type: String,
    pub original_name: String,
    pub uploaded_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UploadedBy", to = "super::user::Column::Id")]
    Uploader,
}

impl ActiveModelBehavior for ActiveModel {}
